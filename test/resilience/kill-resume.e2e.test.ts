import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { expectedStates } from '../helpers/sync.js';
import { Dataset } from './dataset.js';
import { syncDataset } from './run.js';

// kill -9 right after a state line, then the platform's resume: with STREAM states, the source replays each stream
// from the last state of that stream the platform read. Nothing is lost (a state is only printed once its data is in
// Marketo) and replaying is harmless (an import is an upsert).

let emulator: Emulator;
beforeEach(async () => {
  // Jobs take a moment, so that states come a few at a time while the sync is still far from done.
  emulator = await startEmulator({ rowsPerSecond: 100 });
});
afterEach(async () => {
  await emulator.close();
});

// Small files, so that every stream's states flow; slower polls keep the calls under the client limiter's window.
const config = { batching: { max_file_bytes: 1024 }, polling: { initial_interval_seconds: 0.1, max_interval_seconds: 0.2 } };

test.each([3, 20])('killed right after state %i and resumed from the last state read: the final store is exact', async (killAt) => {
  const dataset = new Dataset({ contacts: 120, cars: 80, attendees: 200, updates: 20, stateEvery: 10, seed: 5 });
  const first = await syncDataset(emulator, dataset, {
    config,
    onMessage: (message, child) => {
      if (message.type === 'STATE' && (message.state as { id: number }).id === killAt) child.kill('SIGKILL');
    },
  });
  expect(first.signal).toBe('SIGKILL');
  // Lines already in the pipe when the kill landed were read too; the platform resumes from the last of them.
  const resumeFrom = first.states.at(-1)!.id as number;
  expect(resumeFrom).toBeGreaterThanOrEqual(killAt);
  expect(resumeFrom).toBeLessThan(dataset.states.length);
  expect(first.states).toEqual(expectedStates(dataset.text()).slice(0, resumeFrom));
  // Every state printed before the kill had its records in Marketo when it was printed.
  expect(first.earlyStates).toEqual([]);

  const replay = dataset.resumeText(first.states.map((s) => s.id as number));
  const second = await syncDataset(emulator, dataset, { config, stdin: replay });
  expect(second.traces).toEqual([]);
  expect(second.code).toBe(0);
  // The resumed run counts only what it was sent.
  expect(second.states).toEqual(expectedStates(replay));
  expect(second.earlyStates).toEqual([]);
  dataset.expectFinalStore(emulator);
});
