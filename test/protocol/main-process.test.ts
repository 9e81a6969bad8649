/**
 * `main()` in a real child process: real signals, real uncaught errors, real process.exit.
 * Runs the compiled runner, so it needs `npm run build` (the `pretest` script does it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseStdoutLines } from '../helpers/airbyte-schema.js';
import { tempFile, validCatalog } from '../helpers/protocol-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runnerJs = path.join(repoRoot, 'dist/protocol/runner.js');
const SECRET = 'child-process-secret';

/** A destination whose behaviour is picked by the MODE environment variable. */
const script = `
import { main } from ${JSON.stringify(pathToFileURL(runnerJs).href)};
const mode = process.env.MODE;
const untilAborted = (signal) => new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
main({
  spec: () => ({ connectionSpecification: { type: 'object', properties: { secret: { type: 'string', airbyte_secret: true } } } }),
  check: async (config) => {
    setTimeout(() => { throw new Error('timer failed with ' + config.secret); }, 0);
    return new Promise(() => {});
  },
  write: async (config, catalog, input, ctx) => {
    if (mode === 'burst') {
      for (let i = 0; i < 50000; i++) ctx.out.log('INFO', 'line ' + i + ' ' + 'x'.repeat(80));
      return;
    }
    if (mode === 'rejection') {
      Promise.reject(new Error('nobody awaited me'));
      return new Promise(() => {});
    }
    if (mode === 'stalled') return new Promise(() => {});
    // Like a real destination: a pending read of stdin (which the test never closes) keeps the process alive.
    const reading = input[Symbol.asyncIterator]().next();
    ctx.out.log('INFO', 'ready');
    await Promise.race([reading, untilAborted(ctx.signal)]);
    await ctx.out.emit({ type: 'STATE', state: { data: { committed: 1 } } });
  },
});
`;

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runChild(args: string[], mode: string, killOnReady?: NodeJS.Signals): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [scriptPath, ...args], {
      env: { ...process.env, MODE: mode },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (killOnReady && stdout.includes('"message":"ready"')) {
        child.kill(killOnReady);
        killOnReady = undefined;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let scriptPath: string;

const writeArgs = () => ['write', '--config', tempFile({ secret: SECRET }), '--catalog', tempFile(validCatalog)];

describe('main() in a child process', () => {
  beforeAll(() => {
    if (!existsSync(runnerJs)) throw new Error(`${runnerJs} is missing: run "npm run build" first`);
    scriptPath = tempFile(script, 'connector.mjs');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('after %s, echoes the committed state and exits %i', async (signal, code) => {
    const result = await runChild(writeArgs(), 'wait', signal);
    expect(result.code).toBe(code);
    expect(parseStdoutLines(result.stdout)).toEqual([
      { type: 'LOG', log: { level: 'INFO', message: 'ready' } },
      { type: 'STATE', state: { data: { committed: 1 } } },
      { type: 'LOG', log: { level: 'INFO', message: `Received ${signal}: write stopped.` } },
    ]);
  });

  it('turns an exception thrown from a timer into a TRACE system_error and exit 1, secrets redacted', async () => {
    const result = await runChild(['check', '--config', tempFile({ secret: SECRET })], 'check');
    expect(result.code).toBe(1);
    const messages = parseStdoutLines(result.stdout);
    expect(messages).toEqual([
      expect.objectContaining({
        type: 'TRACE',
        trace: expect.objectContaining({
          error: expect.objectContaining({
            failure_type: 'system_error',
            message: 'Something went wrong in the connector: timer failed with **********',
          }),
        }),
      }),
    ]);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('turns an unhandled rejection into a TRACE system_error and exit 1', async () => {
    const result = await runChild(writeArgs(), 'rejection');
    expect(result.code).toBe(1);
    const [trace] = parseStdoutLines(result.stdout);
    expect(trace).toMatchObject({ type: 'TRACE', trace: { error: { message: 'Something went wrong in the connector: nobody awaited me' } } });
  });

  it('reports a command that can never finish instead of exiting 0 silently', async () => {
    const result = await runChild(writeArgs(), 'stalled');
    expect(result.code).toBe(1);
    const [trace] = parseStdoutLines(result.stdout);
    expect(trace).toMatchObject({ type: 'TRACE', trace: { error: { failure_type: 'system_error' } } });
  });

  it('does not truncate stdout when exiting right after a burst of output', async () => {
    const result = await runChild(writeArgs(), 'burst');
    expect(result.code).toBe(0);
    const messages = parseStdoutLines(result.stdout);
    expect(messages).toHaveLength(50000);
    expect(messages.at(-1)).toMatchObject({ log: { message: expect.stringMatching(/^line 49999 /) } });
  });

  it('prints usage and exits 2 on a bad command line', async () => {
    const result = await runChild(['write', '--config'], 'wait');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage:');
  });
});
