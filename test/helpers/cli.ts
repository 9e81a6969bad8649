import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testTempDir } from './temp-dir.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cliPath = path.join(repoRoot, 'dist/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Writes `value` as JSON to a fresh temporary file and returns its path. */
export function tempJson(value: unknown, name = 'file.json'): string {
  const dir = testTempDir();
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

export interface RunOptions {
  /** Bytes, for input that is not valid UTF-8. */
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  /** Called for every complete stdout line as it arrives; may kill the child. */
  onLine?: (line: string, child: ChildProcess) => void;
  /** Leave stdin open after writing `stdin` (as a slow source would); onLine must end it. */
  keepStdinOpen?: boolean;
  /** Called once the child is started, before any output. */
  onSpawn?: (child: ChildProcess) => void;
}

/** Runs the built connector CLI (`npm run build` first; `npm test` does it). */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!options.onLine) return;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        options.onLine(line, child);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the child may exit before reading everything
    if (options.keepStdinOpen) child.stdin.write(options.stdin ?? '');
    else child.stdin.end(options.stdin ?? '');
  });
}

/** NDJSON text from message objects. */
export const ndjson = (messages: unknown[]): string => messages.map((m) => JSON.stringify(m)).join('\n') + '\n';
