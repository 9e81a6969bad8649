import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { ObjectStorage } from '../../src/config/object-storage.js';
import type { LocallyRejected } from '../../src/encoding/chunk-encoder.js';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { ConnectorError } from '../../src/protocol/errors.js';
import { CheckpointLedger, scopeOf, type Interval } from '../../src/pipeline/checkpoints.js';
import type { DeleteBatch, PendingDeletion } from '../../src/pipeline/delete-runner.js';
import { KeptFile, TempDir } from '../../src/pipeline/kept-file.js';
import { Progress } from '../../src/pipeline/progress.js';
import { RejectedRecords } from '../../src/pipeline/rejected-records.js';
import { RowOutcomes } from '../../src/pipeline/row-outcomes.js';
import type { CompletedJob } from '../../src/pipeline/scheduler.js';
import type { ResolvedStream } from '../../src/pipeline/stream-target.js';
import { openRejectStore } from '../../src/rejects/open.js';
import { encodedLines, sealedHashes } from '../helpers/rows.js';
import { testTempDir } from '../helpers/temp-dir.js';

const dir = new TempDir();
afterAll(() => dir.remove());

const contacts: ResolvedStream = {
  key: 'contacts',
  name: 'contacts',
  target: { kind: 'leads', lookupField: 'email' },
  targetKey: 'leads',
  columns: [
    { name: 'email', source: 'email' },
    { name: 'leadScore', source: 'score', type: 'integer' },
  ],
  keyColumns: [0],
};

const localReject = (email: string, reason: string): LocallyRejected => ({ kind: 'rejected', stream: 'contacts', reason, lookup: email, record: { email, score: 'abc' }, emittedAt: 1000 });

function setup(rejects?: RejectedRecords) {
  const emitted: Record<string, unknown>[] = [];
  const logs: string[] = [];
  const ledger = new CheckpointLedger((m) => emitted.push(m));
  const progress = new Progress({ stderr: new PassThrough(), log: () => undefined, apiCalls: () => 0 });
  const outcomes = new RowOutcomes({ ledger, progress, log: (level, message) => logs.push(`${level} ${message}`), rejects });
  const state = (id: number) => {
    const s = { type: 'STREAM' as const, id, stream: { stream_descriptor: { name: 'contacts' } } };
    ledger.stateReceived({ type: 'STATE', state: s }, s, scopeOf(s, (name) => name));
  };
  const stats = () => emitted.map((m) => (m.state as Record<string, unknown>).destinationStats);
  return { ledger, progress, outcomes, logs, state, stats };
}

function completed(rowMeta: Interval[], job: Pick<CompletedJob, 'failures' | 'warnings' | 'unmatchedFailures'>): CompletedJob {
  const emails = rowMeta.map((_, i) => `r${i}@example.com`);
  return {
    failedCells: job.failures.map((f) => [emails[f.rowIndex]!, String(f.rowIndex)]),
    file: {
      stream: 'contacts',
      streamKey: 'contacts',
      emittedAt: Float64Array.from(rowMeta, (_, i) => 2000 + i),
      target: { kind: 'leads', lookupField: 'email' },
      targetKey: 'leads',
      keys: sealedHashes(emails),
      rowCount: rowMeta.length,
      rowMeta,
      body: new KeptFile(Buffer.from(['email', ...emails].join('\r\n')), dir),
    },
    status: { batchId: 7, status: 'Complete', processed: rowMeta.length - job.failures.length, failed: job.failures.length + job.unmatchedFailures, warned: job.warnings.length },
    ...job,
  };
}

describe('RowOutcomes', () => {
  test('a row rejected locally is settled as rejected, counted and logged with its lookup value', () => {
    const { ledger, progress, outcomes, logs, state, stats } = setup();
    expect(outcomes.rejectedLocally(contacts, ledger.recordsReceived('contacts', 1), localReject('a@example.com', 'Invalid data type in field score'))).toBeUndefined();
    state(1);
    expect(stats()).toEqual([{ recordCount: 0, rejectedRecordCount: 1 }]);
    expect(progress.counters.rowsRejected).toBe(1);
    expect(logs).toEqual(['WARN Stream "contacts": row "a@example.com" rejected: Invalid data type in field score']);
  });

  test('a Complete job settles its rows as imported or failed in Marketo, and releases the states they held', () => {
    const { ledger, progress, outcomes, logs, state, stats } = setup();
    const interval = ledger.recordsReceived('contacts', 4);
    state(1);
    expect(stats()).toEqual([]);
    outcomes.jobComplete(
      completed([interval, interval, interval, interval], {
        failures: [{ rowIndex: 1, reason: 'Value for lookup field not found' }],
        warnings: [{ rowIndex: 2, reason: 'Invalid email' }],
        unmatchedFailures: 1,
      }),
    );
    expect(stats()).toEqual([{ recordCount: 2, rejectedRecordCount: 2 }]);
    expect(progress.counters).toMatchObject({ rowsImported: 2, rowsRejected: 2, rowsWarned: 1 });
    expect(logs).toEqual([
      'WARN Stream "contacts": job 7 row 2 failed in Marketo: Value for lookup field not found',
      'WARN Stream "contacts": job 7 has 1 failed row(s) that could not be matched to a record',
      'INFO Stream "contacts": job 7 row 3 imported with a warning: Invalid email',
      'INFO Import job 7 (leads (lookupField email), stream "contacts") complete: 4 rows, 2 failed, 1 warned',
    ]);
  });
});

/** Rejected records in a fresh local folder, as JSONL. */
async function localRecords(folder = testTempDir('dmb-outcomes-')): Promise<{ rejects: RejectedRecords; folder: string }> {
  const store = (await openRejectStore(ObjectStorage.parse({ storage_type: 'Local', path: folder, format: { format_type: 'JSONL' } }), 42))!;
  const rejects = new RejectedRecords({ store, streams: [contacts], generations: new Map([['contacts', 3]]), groupFields: { programId: 'programId', status: 'programMemberStatus' }, format: 'csv', flushIntervalMs: 60_000 });
  return { rejects, folder };
}

/** Every line of every complete file below `folder`. */
function storedLines(folder: string): Record<string, unknown>[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .flatMap((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8').trim().split('\n'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('RowOutcomes with rejected-record storage', () => {
  test('a row rejected locally settles only once its record is stored, as received', async () => {
    const { rejects, folder } = await localRecords();
    const { ledger, progress, outcomes, logs, state, stats } = setup(rejects);
    outcomes.rejectedLocally(contacts, ledger.recordsReceived('contacts', 1), localReject('a@example.com', 'Invalid data type in field leadScore (input line 1)'));
    state(1);
    // Counted and logged at once, but the state waits for the store.
    expect(stats()).toEqual([]);
    expect(progress.counters.rowsRejected).toBe(1);
    expect(logs).toHaveLength(1);
    await rejects.storeAll();
    expect(stats()).toEqual([{ recordCount: 0, rejectedRecordCount: 1 }]);
    expect(storedLines(folder)).toEqual([
      expect.objectContaining({
        _airbyte_extracted_at: 1000,
        _airbyte_generation_id: 3,
        _airbyte_meta: { sync_id: 42, changes: [], rejection: { reason: 'Invalid data type in field leadScore (input line 1)', rejected_by: 'connector', field: 'leadScore' } },
        _airbyte_data: { email: 'a@example.com', score: 'abc' },
      }),
    ]);
    expect(rejects.summary()).toMatch(/^1 rejected record\(s\) stored in 1 file\(s\): /);
    await rejects.close();
  });

  test('a Complete job settles its imported rows at once and its failed rows once stored; unmatched failures are only counted', async () => {
    const { rejects, folder } = await localRecords();
    const { ledger, progress, outcomes, state, stats } = setup(rejects);
    const first = ledger.recordsReceived('contacts', 2);
    state(1);
    const second = ledger.recordsReceived('contacts', 2);
    state(2);
    outcomes.jobComplete(completed([first, first, second, second], { failures: [{ rowIndex: 1, reason: 'Invalid email' }], warnings: [], unmatchedFailures: 1 }));
    // Row 1 (state 1) waits for the store; the unmatched failure, charged to the latest row, settled with the rest.
    expect([first.pending, second.pending]).toEqual([1, 0]);
    expect(stats()).toEqual([]);
    expect(progress.counters).toMatchObject({ rowsImported: 2, rowsRejected: 2 });
    await rejects.storeAll();
    expect(stats()).toEqual([
      { recordCount: 1, rejectedRecordCount: 1 },
      { recordCount: 1, rejectedRecordCount: 1 },
    ]);
    // Rebuilt from the row sent, typed by its Marketo field.
    expect(storedLines(folder)).toEqual([
      expect.objectContaining({
        _airbyte_extracted_at: 2001,
        _airbyte_meta: { sync_id: 42, changes: [], rejection: { reason: 'Invalid email', rejected_by: 'marketo', batch_id: 7 } },
        _airbyte_data: { email: 'r1@example.com', score: 1 },
      }),
    ]);
    await rejects.close();
  });

  test('rows of a program group that cannot be imported are rebuilt from their encoded rows, with their program and status', async () => {
    const { rejects, folder } = await localRecords();
    const { ledger, outcomes, state, stats } = setup(rejects);
    const interval = ledger.recordsReceived('contacts', 2);
    const { bytes, ends } = encodedLines([['b@x.com', '5'], ['c@x.com', '']]);
    const rows = { kind: 'rows' as const, stream: 'contacts', bytes, ends, keys: Float64Array.from(['b@x.com', 'c@x.com'], hash52), emittedAt: Float64Array.of(5, 6), group: { programId: '9', status: 'Attended' }, lookups: ['b@x.com', 'c@x.com'] };
    outcomes.groupRejected(contacts, interval, 'program 9 has no status "Attended"', rows);
    state(1);
    expect(stats()).toEqual([]);
    await rejects.storeAll();
    expect(stats()).toEqual([{ recordCount: 0, rejectedRecordCount: 2 }]);
    expect(storedLines(folder).map((line) => [line._airbyte_extracted_at, line._airbyte_data])).toEqual([
      [5, { email: 'b@x.com', score: 5, programId: '9', programMemberStatus: 'Attended' }],
      [6, { email: 'c@x.com', programId: '9', programMemberStatus: 'Attended' }],
    ]);
    await rejects.close();
  });

  test('a storage failure is a transient_error, and the rows it held never settle', async () => {
    // A file where the folder should be: the store cannot create its folders.
    const blocked = path.join(testTempDir('dmb-outcomes-'), 'file');
    writeFileSync(blocked, '');
    const { rejects } = await localRecords(blocked);
    const { ledger, outcomes, state, stats } = setup(rejects);
    outcomes.rejectedLocally(contacts, ledger.recordsReceived('contacts', 1), localReject('a@example.com', 'Invalid data type in field leadScore'));
    state(1);
    const storing = rejects.storeAll();
    await expect(storing).rejects.toBeInstanceOf(ConnectorError);
    await expect(storing).rejects.toMatchObject({ failureType: 'transient_error', message: expect.stringMatching(/^Rejected records could not be stored/) });
    expect(() => rejects.throwIfFailed()).toThrow(ConnectorError);
    expect(stats()).toEqual([]);
    await rejects.close();
  });
});

describe('deletions and rejected-record storage', () => {
  const batch = (deletions: PendingDeletion[]): DeleteBatch => ({
    stream: 'contacts',
    streamKey: 'contacts',
    target: contacts.target,
    targetKey: contacts.targetKey,
    deletes: { records: 'every', effect: 'delete', key: ['email'] },
    records: deletions,
    keys: new Float64Array(),
  });

  test('a deletion Marketo refuses is stored, rebuilt from its key, and its state waits for the store; deleted ones settle at once', async () => {
    const { rejects, folder } = await localRecords();
    const { ledger, progress, outcomes, state, stats } = setup(rejects);
    const interval = ledger.recordsReceived('contacts', 2);
    const deletions = ['gone@example.com', 'kept@example.com'].map((email) => ({ key: [email], hash: hash52(email), lookup: email, emittedAt: 2000, interval }));
    outcomes.deletionsAnswered(batch(deletions), [{ kind: 'done' }, { kind: 'rejected', reason: 'Lead is locked' }]);
    state(1);
    expect(progress.counters.rowsDeleted).toBe(1);
    expect(progress.counters.rowsRejected).toBe(1);
    expect(stats()).toEqual([]);
    await rejects.storeAll();
    expect(stats()).toEqual([{ recordCount: 1, rejectedRecordCount: 1 }]);
    expect(storedLines(folder)).toEqual([
      expect.objectContaining({
        _airbyte_extracted_at: 2000,
        _airbyte_meta: { sync_id: 42, changes: [], rejection: { reason: 'Lead is locked', rejected_by: 'marketo' } },
        _airbyte_data: { email: 'kept@example.com' },
      }),
    ]);
  });
});
