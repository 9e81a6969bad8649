import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, expectedStates, withMessages, type SyncResult } from '../helpers/sync.js';
import { CdcDataset } from './cdc-dataset.js';

// Deletions under faults, and kill -9: a state is only echoed once the deletions (and imports) before it were answered,
// and a resumed sync replays from the last state read, ending with exactly the source's final rows.

type Json = Record<string, unknown>;

let emulator: Emulator;
beforeEach(async () => {
  // Jobs take a moment, so that deletions wait for imports of their keys and states come a few at a time.
  emulator = await startEmulator({ rowsPerSecond: 200 });
});
afterEach(async () => {
  await emulator.close();
});

const dataset = new CdcDataset({ keys: 25, records: 240, stateEvery: 12, seed: 11 });
const config = {
  batching: { max_file_bytes: 1024 },
  polling: { initial_interval_seconds: 0.05, max_interval_seconds: 0.1 },
  rate_limit: { calls_per_20_seconds: 100 },
  retry: { max_attempts: 5, request_timeout_seconds: 5 },
};

async function sync(options: { stdin?: string; onMessage?: (message: Json, child: ChildProcess) => void } = {}): Promise<SyncResult & { earlyStates: string[] }> {
  const earlyStates: string[] = [];
  const fixture = dataset.fixture();
  const cli = await runCli(
    ['write', '--config', tempJson(emulatorConfig(emulator, { ...fixture.config, ...config }), 'config.json'), '--catalog', tempJson(fixture.catalog, 'catalog.json')],
    {
      stdin: options.stdin ?? fixture.messages,
      onLine: (line, child) => {
        const message = JSON.parse(line) as Json;
        if (message.type === 'STATE') earlyStates.push(...dataset.committedProblems(emulator, (message.state as Json).id as number));
        options.onMessage?.(message, child);
      },
    },
  );
  return { ...withMessages(cli), earlyStates };
}

/** The sync went through: no TRACE, every state in order with exact counts, none early, the store exact. */
function expectExact(result: SyncResult & { earlyStates: string[] }, stdin = dataset.text()): void {
  expect(result.traces, result.stderr).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.states).toEqual(expectedStates(stdin));
  expect(result.earlyStates).toEqual([]);
  expect(dataset.finalProblems(emulator)).toEqual([]);
}

const deleteCalls = () => emulator.timeline.filter((e) => e.kind === 'request' && e.path === '/rest/v1/leads/delete.json');

describe('CDC deletions end to end', () => {
  test('inserts, updates and deletions of the same keys across many files: every state in order, the final store exact', async () => {
    expectExact(await sync());
    // Many batches, imports in between: any delete run beside or before an earlier import of its key, or an import
    // before an earlier delete, would leave a stale or a missing lead above.
    expect(deleteCalls().length).toBeGreaterThan(1);
  });

  test('transient codes, 606 and an expired token during deletions are ridden out', async () => {
    emulator.faults.inject({ path: '/rest/v1/leads/delete.json', kind: 'marketo', code: '604', times: 2 });
    emulator.faults.inject({ path: '/rest/v1/leads.json', method: 'GET', kind: 'marketo', code: '606', times: 2 });
    emulator.faults.inject({ path: '/rest/v1/leads/delete.json', kind: 'http', status: 502 });
    emulator.faults.inject({ path: '/rest/v1/leads/delete.json', kind: 'marketo', code: '601' });
    const result = await sync();
    expectExact(result);
    expect(emulator.timeline.filter((e) => e.kind === 'request' && e.fault !== undefined)).toHaveLength(6);
    expect(result.logs.filter((l) => l.level === 'WARN' && /Marketo error 604/.test(l.message))).toHaveLength(2);
  });

  test('603 on a delete call (no Read-Write permission) is a config error; no state is echoed past unanswered deletions', async () => {
    emulator.configure({ permissions: 'read-only' });
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.traces).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ failure_type: 'config_error', message: expect.stringContaining('Marketo error 603') }) }),
    ]);
    expect(result.earlyStates).toEqual([]);
    const echoed = result.states.length;
    expect(echoed).toBeLessThan(dataset.stateCount);
    // The first state after the first deletion was never echoed.
    const firstDeletion = dataset.ops.findIndex((op) => op.name === undefined);
    expect(echoed).toBeLessThanOrEqual(Math.floor(firstDeletion / dataset.stateEvery));
  });

  test('imports that fail stop the deletions waiting for them: a system error, not a hang', async () => {
    emulator.faults.failJob({ match: 'next', message: 'Import failed: internal error', always: true });
    const result = await sync();
    expect(result.code).toBe(1);
    expect(result.traces).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ failure_type: 'system_error', message: expect.stringContaining('failed twice') }) }),
    ]);
    expect(result.states).toEqual([]);
  });

  test.each([2, 9])('killed -9 right after state %i and resumed from the last state read: the final store is exact', async (killAt) => {
    const first = await sync({
      onMessage: (message, child) => {
        if (message.type === 'STATE' && (message.state as { id: number }).id === killAt) child.kill('SIGKILL');
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const resumeFrom = first.states.at(-1)!.id as number;
    expect(resumeFrom).toBeGreaterThanOrEqual(killAt);
    expect(resumeFrom).toBeLessThan(dataset.stateCount);
    expect(first.states).toEqual(expectedStates(dataset.text()).slice(0, resumeFrom));
    expect(first.earlyStates).toEqual([]);

    const replay = dataset.text(resumeFrom);
    expectExact(await sync({ stdin: replay }), replay);
  });
});
