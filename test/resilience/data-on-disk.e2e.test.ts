import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createRunFolder } from '../../src/pipeline/run-folder.js';
import { runWrite, type SyncResult } from '../helpers/sync.js';
import { testTempDir } from '../helpers/temp-dir.js';
import { Dataset } from './dataset.js';

// Uploaded files wait on disk until their job ends, and they hold customer data: readable by their owner only, gone
// when the sync ends, and, when a run is killed before it can remove them, removed by the next run.

let emulator: Emulator;
/** The connector's temporary folder (its TMPDIR), private to each test so that no other run's folder shows up. */
let tmp: string;
beforeEach(async () => {
  emulator = await startEmulator();
  tmp = testTempDir('connector-tmp-');
});
afterEach(async () => {
  await emulator.close();
});

const dataset = new Dataset({ contacts: 60, cars: 0, attendees: 0, stateEvery: 10, seed: 3 });
const config = { batching: { max_file_bytes: 1024 } };
const ownFolder = (pid: number) => new RegExp(`^destination-marketo-bulk-${pid}-\\d+-\\d+-[A-Za-z0-9]{6}$`);

/**
 * Starts a sync whose jobs stay Queued (another integration's jobs hold both importing slots) and resolves once an
 * uploaded file is on disk: the second job is polled only after its upload moved the first file out of memory.
 */
async function syncWithPendingJobs(): Promise<{ child: ChildProcess; folder: string; done: Promise<SyncResult> }> {
  emulator.faults.queueForeignJobs(2);
  let child!: ChildProcess;
  const done = runWrite(emulator, dataset.fixture, { config, env: { TMPDIR: tmp }, onSpawn: (c) => (child = c) });
  await vi.waitFor(
    () => {
      const second = emulator.jobs().filter((job) => !job.foreign)[1];
      expect(second && emulator.timeline.some((e) => e.kind === 'request' && e.method === 'GET' && e.batchId === second.batchId)).toBe(true);
    },
    { timeout: 20_000, interval: 10 },
  );
  const names = readdirSync(tmp);
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(ownFolder(child.pid!));
  return { child, folder: path.join(tmp, names[0]!), done };
}

const modeOf = (file: string) => statSync(file).mode & 0o777;

test('files waiting on disk are readable by their owner only, and removed when the sync stops', async () => {
  const { child, folder, done } = await syncWithPendingJobs();
  expect(modeOf(folder)).toBe(0o700);
  const files = readdirSync(folder);
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect(modeOf(path.join(folder, file)), file).toBe(0o600);
  expect(readFileSync(path.join(folder, files[0]!), 'utf8')).toMatch(/@/); // customer data: emails

  child.kill('SIGTERM');
  expect((await done).code).toBe(143);
  expect(readdirSync(tmp)).toEqual([]);
});

test('a run killed with SIGKILL leaves its folder; the next run removes it and keeps the folder of a running sync', async () => {
  const { child, folder, done } = await syncWithPendingJobs();
  const files = readdirSync(folder);
  child.kill('SIGKILL');
  expect((await done).signal).toBe('SIGKILL');
  // What a kill -9 leaves: the folder with the files that were waiting, customer data in plain text.
  expect(readdirSync(folder)).toEqual(expect.arrayContaining(files));

  // This test's own process stands for a sync that is still running.
  const running = createRunFolder(tmp);
  emulator.faults.releaseForeignJobs();
  const next = await runWrite(emulator, dataset.fixture, { config, env: { TMPDIR: tmp } });
  expect(next.code, next.stderr).toBe(0);
  expect(next.logs).toContainEqual({ level: 'INFO', message: `Removed ${folder}: the temporary files of an earlier run that did not end cleanly` });
  expect(readdirSync(tmp)).toEqual([path.basename(running)]);
});
