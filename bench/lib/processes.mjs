// The processes a bench run measures: a Node script with its stdin read from a file, and the Marketo emulator.
// Each runs in its own process so that the connector's memory and CPU are measured alone.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('./rusage-hook.mjs', import.meta.url));

/**
 * Runs `node [nodeArgs] script ...args` with stdin from `stdinFile` (a file, as the platform's pipe would deliver
 * it, without a third process feeding it), on the Node binary `node` (default: the bench's own). Resolves once it
 * exits with its exit code, wall time, stdout and stderr (both small for every script the bench runs) and its own
 * resource usage.
 */
export async function runNode(script, args, { stdinFile, nodeArgs = [], env = {}, node = process.execPath } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-run-'));
  const usageFile = path.join(work, 'usage.json');
  const stdin = stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r');
  try {
    const started = performance.now();
    const child = spawn(node, ['--import', HOOK, ...nodeArgs, script, ...args], {
      stdio: [stdin, 'pipe', 'pipe'],
      env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile },
    });
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const [code, signal] = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (c, s) => resolve([c, s]));
    });
    const wallMs = performance.now() - started;
    return { code, signal, wallMs, stdout: await stdout, stderr: await stderr, usage: readUsage(usageFile) };
  } finally {
    if (typeof stdin === 'number') closeSync(stdin);
    rmSync(work, { recursive: true, force: true });
  }
}

function collect(stream) {
  let text = '';
  stream.setEncoding('utf8').on('data', (chunk) => (text += chunk));
  return new Promise((resolve) => stream.once('end', () => resolve(text)));
}

function readUsage(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // killed before its exit handler ran
  }
}

/**
 * Starts the emulator (`dist/emulator/main.js --port 0 ...args`) and resolves once it has printed its URL, with
 * `get(path)` for its control API and `stop()`, which resolves with its resource usage.
 */
export async function startEmulator(mainJs, args) {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-emulator-'));
  const usageFile = path.join(work, 'usage.json');
  // A million stored leads do not fit Node's default heap on every machine.
  const child = spawn(process.execPath, ['--import', HOOK, '--max-old-space-size=8192', mainJs, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_USAGE_FILE: usageFile },
  });
  const stderr = collect(child.stderr);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await Promise.race([
    new Promise((resolve) => createInterface({ input: child.stdout }).once('line', (line) => resolve(line.trim()))),
    exited.then(async () => {
      throw new Error(`the emulator exited before printing its URL: ${(await stderr).trim()}`);
    }),
  ]);
  return {
    url,
    async get(pathAndQuery) {
      const response = await fetch(`${url}${pathAndQuery}`);
      if (!response.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      const usage = readUsage(usageFile);
      rmSync(work, { recursive: true, force: true });
      return usage;
    },
  };
}

/** Runs `fn(emulator)` against a fresh emulator, stopped afterwards whatever happens. */
export async function withEmulator(mainJs, args, fn) {
  const emulator = await startEmulator(mainJs, args);
  try {
    return await fn(emulator);
  } finally {
    await emulator.stop();
  }
}
