// The Marketo emulator as a child process (its CLI), for the demo: start it, read from its store, stop it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts `node <mainJs> --port 0 ...args` and resolves once it has printed its base URL (its first stdout line).
 * Rejects with the emulator's stderr if it exits first.
 */
export function startEmulator(mainJs, args = []) {
  const child = spawn(process.execPath, [mainJs, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const firstLine = new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  return Promise.race([
    firstLine.then((url) => ({ url: url.trim(), stop: () => stop(child, exited) })),
    exited.then(({ code, signal }) => {
      throw new Error(`the emulator exited (${signal ?? `code ${code}`}) before printing its URL: ${stderr.trim()}`);
    }),
    new Promise((_, reject) => child.once('error', reject)),
  ]);
}

async function stop(child, exited) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await exited;
}

/** GET a JSON document from the emulator's read API (`/_emulator/...`). */
export async function readStore(baseUrl, pathAndQuery) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`);
  if (!response.ok) throw new Error(`GET ${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
