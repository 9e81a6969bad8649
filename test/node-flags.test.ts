import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultEncoderThreads } from '../src/encoding/encoder-pool.js';
import { encoderThreadsOf, heapGrowingPercent, restartNodeArgs, SEMI_SPACE_FLAG, semiSpaceMb } from '../src/node-flags.js';
import { cliPath } from './helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dmb-node-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(config: unknown): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return file;
}

describe('restartNodeArgs', () => {
  test('puts the semi-space size for the thread count in front of the node options the process had', () => {
    expect(restartNodeArgs(['--import', 'x.mjs'], '', 0)).toEqual([`${SEMI_SPACE_FLAG}=8`, '--import', 'x.mjs']);
    expect(restartNodeArgs([], '', 2)).toEqual([`${SEMI_SPACE_FLAG}=1`]);
  });

  test.each([
    ['the command line', ['--max-semi-space-size=16'], ''],
    ['the command line, with underscores', ['--max_semi_space_size=16'], ''],
    ['NODE_OPTIONS', [], '--enable-source-maps --max-semi-space-size=16'],
  ])('leaves a size given on %s alone', (_, execArgv, nodeOptions) => {
    expect(restartNodeArgs(execArgv, nodeOptions, 0)).toBeUndefined();
  });
});

test('the old generation grows by 10 % on the main thread alone, by 100 % with encoder threads', () => {
  expect([heapGrowingPercent(0), heapGrowingPercent(1), heapGrowingPercent(4)]).toEqual([10, 100, 100]);
});

describe('encoderThreadsOf', () => {
  test('reads batching.encoder_threads from the --config file', () => {
    expect(encoderThreadsOf(['write', '--config', configFile({ batching: { encoder_threads: 3 } }), '--catalog', 'c.json'], 2)).toBe(3);
    expect(encoderThreadsOf(['write', '--config', configFile({ batching: { encoder_threads: 0 } })], 8)).toBe(0);
  });

  test.each([
    ['no --config', ['spec']],
    ['no such file', ['check', '--config', path.join(dir, 'missing.json')]],
    ['not JSON', ['check', '--config', configFile('{ nope')]],
    ['no setting', ['check', '--config', configFile({ batching: {} })]],
    ['a bad value', ['check', '--config', configFile({ batching: { encoder_threads: -1 } })]],
  ])('falls back to the default for the cores with %s', (_, args) => {
    expect(encoderThreadsOf(args, 2)).toBe(defaultEncoderThreads(2));
    expect(encoderThreadsOf(args, 8)).toBe(defaultEncoderThreads(8));
  });
});

describe('the CLI', () => {
  test('runs under the flag, in the same process, where Node can restart itself in place', () => {
    // Preloaded into every image of the process: each start appends its pid and node options.
    const hook = path.join(dir, 'hook.mjs');
    const log = path.join(dir, 'starts.jsonl');
    writeFileSync(hook, `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(log)}, JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n');\n`);
    const result = spawnSync(process.execPath, ['--import', hook, cliPath, 'spec'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['SPEC']);
    const starts = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { pid: number; execArgv: string[] });
    if (typeof (process as { execve?: unknown }).execve === 'function') {
      const flag = `${SEMI_SPACE_FLAG}=${semiSpaceMb(defaultEncoderThreads())}`;
      expect(starts).toEqual([
        { pid: result.pid, execArgv: ['--import', hook] },
        { pid: result.pid, execArgv: [flag, '--import', hook] },
      ]);
    } else {
      // Node 20 has no process.execve: the process runs as started.
      expect(starts).toEqual([{ pid: result.pid, execArgv: ['--import', hook] }]);
    }
  });
});
