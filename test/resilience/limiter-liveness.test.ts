import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// Inside vitest the event loop never runs dry, so liveness is checked in a child process of its own (built code).
test('a call waiting for the rate window keeps the process alive until the window lets it through', async () => {
  const limiter = pathToFileURL(path.join(repoRoot, 'dist/marketo/limiter.js')).href;
  const script = `
    import { CallLimiter } from ${JSON.stringify(limiter)};
    const limiter = new CallLimiter({ callsPerWindow: 1, windowMs: 100, maxConcurrent: 5 });
    (await limiter.acquire())();
    console.log('first');
    (await limiter.acquire())();
    console.log('second');`;
  // Before the fix the limiter's timer was unref'd: Node exited with 13 (unsettled top-level await) after 'first'.
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  expect(stdout).toBe('first\nsecond\n');
});
