import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

// The entrypoint is installed beside dist/ (scripts/install-package.sh); here dist/main.js reports how it was started.
let app: string;

beforeAll(() => {
  app = testTempDir('dmb-entrypoint-');
  copyFileSync(path.join(repoRoot, 'scripts/entrypoint.sh'), path.join(app, 'entrypoint.sh'));
  mkdirSync(path.join(app, 'dist'));
  writeFileSync(
    path.join(app, 'dist/main.js'),
    'console.log(JSON.stringify({ argv: process.argv.slice(2), execArgv: process.execArgv }));\n',
  );
});

/** A fake cgroup tree: `files` maps paths under the cgroup root to their content. */
function cgroup(files: Record<string, string>): string {
  const root = testTempDir('dmb-cgroup-');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), `${content}\n`);
  }
  return root;
}

function run(args: string[], env: Record<string, string>): { argv: string[]; execArgv: string[] } {
  // Started from another directory, as the platform does.
  const result = spawnSync('sh', [path.join(app, 'entrypoint.sh'), ...args], {
    cwd: tmpdir(),
    env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, ...env },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { argv: string[]; execArgv: string[] };
}

describe('entrypoint.sh', () => {
  test('passes every argument through unchanged', () => {
    const args = ['write', '--config', '/dest/connector config.json', '--catalog', '/dest/catalog.json'];
    expect(run(args, { CGROUP_ROOT: cgroup({}) }).argv).toEqual(args);
  });

  test('sizes the heap to 75% of a cgroup v2 memory limit', () => {
    const root = cgroup({ 'memory.max': String(512 * 1024 * 1024) });
    expect(run(['spec'], { CGROUP_ROOT: root }).execArgv).toEqual(['--max-old-space-size=384']);
  });

  test('reads the cgroup v1 limit when there is no v2 file', () => {
    const root = cgroup({ 'memory/memory.limit_in_bytes': String(2 * 1024 * 1024 * 1024) });
    expect(run(['spec'], { CGROUP_ROOT: root }).execArgv).toEqual(['--max-old-space-size=1536']);
  });

  test.each([
    ['no cgroup files', {}],
    ['cgroup v2 "max"', { 'memory.max': 'max' }],
    ['cgroup v1 "unlimited"', { 'memory/memory.limit_in_bytes': '9223372036854771712' }],
  ])('leaves Node its default heap with %s', (_, files) => {
    expect(run(['spec'], { CGROUP_ROOT: cgroup(files) }).execArgv).toEqual([]);
  });

  test('an explicit --max-old-space-size in NODE_OPTIONS wins', () => {
    const root = cgroup({ 'memory.max': String(512 * 1024 * 1024) });
    expect(run(['spec'], { CGROUP_ROOT: root, NODE_OPTIONS: '--max-old-space-size=100' }).execArgv).toEqual([]);
  });
});
