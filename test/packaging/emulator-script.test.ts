import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

// `npm run emulator` must not leave the emulator serving its port when npm is told to stop: npm passes the signal to
// the script's shell, which must therefore hand over to node (exec) rather than wait for it.

const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/**
 * A package with the real `emulator` script and the built dist/, whose `build` does nothing: rebuilding dist/ here
 * would rewrite the files other tests are running.
 */
function packageWithEmulatorScript(): string {
  const dir = testTempDir('emulator-script-');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'emulator-script', version: '0.0.0', private: true, scripts: { build: 'true', emulator: scripts.emulator } }));
  symlinkSync(path.join(repoRoot, 'dist'), path.join(dir, 'dist'));
  return dir;
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test.each(['SIGTERM', 'SIGINT'] as const)('%s to `npm run emulator` stops the emulator and frees its port', async (signal) => {
  // In a process group of its own, so that whatever it leaves running can be ended after the test.
  const npm = spawn('npm', ['run', 'emulator', '--', '--port', '0'], { cwd: packageWithEmulatorScript(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  onTestFinished(() => {
    try {
      process.kill(-npm.pid!, 'SIGKILL');
    } catch {
      // the group is gone, as it should be
    }
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    npm.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      // The emulator prints its base URL once it listens.
      const url = /^http:\/\/127\.0\.0\.1:(\d+)$/m.exec(output);
      if (url) resolve(Number(url[1]));
    });
    npm.once('exit', () => reject(new Error(`npm exited before the emulator was ready:\n${output}`)));
  });
  expect(await listening(port)).toBe(true);
  const exited = once(npm, 'exit');
  npm.kill(signal);
  await exited;
  // npm exits once its script has; nothing may be left serving the port.
  expect(await listening(port)).toBe(false);
});
