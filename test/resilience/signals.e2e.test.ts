import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { expectedStates, runWrite } from '../helpers/sync.js';
import { Dataset } from './dataset.js';
import { isCreate, requests, syncDataset } from './run.js';

// SIGTERM and SIGINT in the middle of a sync: stop reading, start no new job, echo only the states of data already
// Complete, and exit promptly with 143 / 130. Jobs already in Marketo finish there, which is harmless.

let emulator: Emulator;
beforeEach(async () => {
  // Slow jobs (a few hundred ms each): the sync is far from done at the signal.
  emulator = await startEmulator({ rowsPerSecond: 50 });
});
afterEach(async () => {
  await emulator.close();
});

// One job at a time: the only create that may follow a state line is the next file's, started in the same tick as
// the state was printed, so any later create would be a job started after the signal.
const config = { batching: { max_file_bytes: 1024, max_jobs_in_flight: 1 }, polling: { initial_interval_seconds: 0.1, max_interval_seconds: 0.2 } };
const dataset = new Dataset({ contacts: 120, cars: 80, attendees: 200, stateEvery: 10, seed: 5 });

test.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)('%s: committed states only, no new job, exit %i within 10 s', async (signal, exitCode) => {
  let signalledAt = 0;
  let createsAtSignal = 0;
  const result = await syncDataset(emulator, dataset, {
    config,
    onMessage: (message, child) => {
      if (signalledAt === 0 && message.type === 'STATE' && (message.state as { id: number }).id === 3) {
        signalledAt = Date.now();
        createsAtSignal = requests(emulator).filter(isCreate).length;
        child.kill(signal);
      }
    },
  });
  const tookMs = Date.now() - signalledAt;

  expect(signalledAt).toBeGreaterThan(0);
  expect(result.code).toBe(exitCode);
  expect(tookMs).toBeLessThan(10_000);
  expect(result.traces).toEqual([]);
  expect(result.logs.some((l) => l.message === `Received ${signal}: write stopped.`)).toBe(true);
  // The states printed are the first ones of the input, each printed only once its records were in Marketo.
  expect(result.states.length).toBeGreaterThanOrEqual(3);
  expect(result.states).toEqual(expectedStates(dataset.text()).slice(0, result.states.length));
  expect(result.earlyStates).toEqual([]);
  // No job was started after the signal, except one whose upload was already on its way. (A connector that drained
  // its input instead of stopping would start the next files' jobs as the running one completes.)
  expect(requests(emulator).filter(isCreate).length - createsAtSignal).toBeLessThanOrEqual(1);
});

test.each([
  ['SIGTERM', 143, 0],
  ['SIGINT', 130, 2],
] as const)('%s while stdin is open but idle: exit %i within 1 s (encoder threads: %i)', async (signal, exitCode, threads) => {
  const idle = new Dataset({ contacts: 5, cars: 0, attendees: 0, stateEvery: 5 });
  let signalledAt = 0;
  const result = await runWrite(emulator, idle.fixture, {
    // The file is cut by age (1 s), so its state is echoed while the source still holds stdin open.
    config: { batching: { flush_interval_seconds: 1, encoder_threads: threads } },
    keepStdinOpen: true,
    onLine: (line, child) => {
      if (signalledAt === 0 && (JSON.parse(line) as { type: string }).type === 'STATE') {
        signalledAt = Date.now();
        child.kill(signal);
      }
    },
  });
  const tookMs = Date.now() - signalledAt;
  expect(signalledAt).toBeGreaterThan(0);
  expect(result.code).toBe(exitCode);
  expect(tookMs).toBeLessThan(1000);
  expect(result.logs.at(-1)).toEqual({ level: 'INFO', message: `Received ${signal}: write stopped.` });
  expect(result.states).toEqual(expectedStates(idle.text()));
});

test('a closed stdout (EPIPE, as under `| head`) stops the sync at once with exit 1 and says so on stderr', async () => {
  let closedAt = 0;
  let createsAtClose = 0;
  const result = await syncDataset(emulator, dataset, {
    config,
    onMessage: (_message, child) => {
      if (closedAt !== 0) return;
      closedAt = Date.now();
      createsAtClose = requests(emulator).filter(isCreate).length;
      child.stdout!.destroy();
    },
  });
  expect(closedAt).toBeGreaterThan(0);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('stdout was closed (EPIPE) during write');
  // No summary claiming states were echoed to a reader that was gone.
  expect(result.stderr).not.toContain('states echoed');
  // The sync stopped instead of running to the end. The closed pipe shows at the next line written: at most the job
  // started with the line read and the one started with that next line follow.
  expect(requests(emulator).filter(isCreate).length - createsAtClose).toBeLessThanOrEqual(2);
});
