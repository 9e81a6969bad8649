// The Node versions the bench measures on: the one running it (the minimum, Node 20, in CI) and Node 24, the version
// the container image ships. Node 24 comes from the npm package node-linux-<arch>@24, installed into a temporary
// folder as .ci/node24.sh does; BENCH_NODE24=<path to a node binary> uses that binary instead.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const SHIPPED_MAJOR = 24;

const versionOf = (binary) => execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
const labelOf = (version) => `Node ${version.replace(/^v/, '').split('.')[0]}`;

/**
 * Resolves the Node binaries to measure on, `[{ label, version, path }]`, the bench's own first. Returns them with
 * `dispose()`, which removes the installed one.
 */
export function benchNodes(log) {
  const own = { label: labelOf(process.version), version: process.version, path: process.execPath };
  if (process.version.startsWith(`v${SHIPPED_MAJOR}.`)) return { nodes: [own], dispose: () => undefined };
  let binary = process.env.BENCH_NODE24;
  let dir;
  if (!binary) {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-node24-'));
    const name = `node-linux-${process.arch}`;
    log(`installing ${name}@${SHIPPED_MAJOR} from npm into ${dir}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--prefix', dir, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--silent', `${name}@${SHIPPED_MAJOR}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    binary = path.join(dir, 'node_modules', name, 'bin', 'node');
  }
  const version = versionOf(binary);
  if (!version.startsWith(`v${SHIPPED_MAJOR}.`)) throw new Error(`${binary} is ${version}, not Node ${SHIPPED_MAJOR}`);
  return {
    nodes: [own, { label: labelOf(version), version, path: binary }],
    dispose: () => dir && rmSync(dir, { recursive: true, force: true }),
  };
}
