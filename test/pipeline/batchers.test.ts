import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import type { EncodedRows } from '../../src/encoding/chunk-encoder.js';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { Batchers } from '../../src/pipeline/batchers.js';
import { CheckpointLedger } from '../../src/pipeline/checkpoints.js';
import { TempDir } from '../../src/pipeline/kept-file.js';
import { Progress } from '../../src/pipeline/progress.js';
import { RowOutcomes } from '../../src/pipeline/row-outcomes.js';
import type { PreparedFile } from '../../src/pipeline/scheduler.js';
import type { ResolvedStream } from '../../src/pipeline/stream-target.js';
import { encodedLines } from '../helpers/rows.js';

const dir = new TempDir();
afterAll(() => dir.remove());

const columns = [{ name: 'email', source: 'email' }];
const leads: ResolvedStream = { key: 'leads', name: 'leads', target: { kind: 'leads', lookupField: 'email' }, targetKey: 'leads', columns, keyColumns: [0] };
const members: ResolvedStream = {
  key: 'members',
  name: 'members',
  target: { kind: 'program_members', programId: '', status: '' },
  targetKey: 'program_members:',
  columns,
  keyColumns: [0],
  grouped: true,
};

function rows(stream: string, emails: string[], group?: EncodedRows['group']): EncodedRows {
  const { bytes, ends } = encodedLines(emails.map((e) => [e]));
  return { kind: 'rows', stream, bytes, ends, keys: Float64Array.from(emails, hash52), emittedAt: new Float64Array(emails.length), ...(group ? { group, lookups: emails } : {}) };
}

function setup() {
  const queued: PreparedFile[] = [];
  const logs: string[] = [];
  const ledger = new CheckpointLedger(() => undefined);
  const progress = new Progress({ stderr: new PassThrough(), log: () => undefined, apiCalls: () => 0 });
  const outcomes = new RowOutcomes({ ledger, progress, log: (level, message) => logs.push(`${level} ${message}`) });
  const batchers = new Batchers([leads, members], {
    format: 'csv',
    maxBytes: 1024,
    tempDir: dir,
    checkGroup: async (programId, status) => (programId === '1001' ? [] : [`program ${programId} has no status "${status}"`]),
    scheduler: { enqueue: (file) => queued.push(file) },
    outcomes,
    progress,
  });
  return { batchers, ledger, progress, queued, logs };
}

describe('Batchers', () => {
  test('a cut file goes to the import queue, kept whole, each row pointing at its interval', async () => {
    const { batchers, ledger, progress, queued } = setup();
    const interval = ledger.recordsReceived('leads', 2);
    expect(batchers.add(rows('leads', ['a@x.com', 'b@x.com']), interval)).toBeUndefined();
    expect(queued).toEqual([]);
    batchers.flush();
    expect(queued).toHaveLength(1);
    const [file] = queued;
    expect(file).toMatchObject({ stream: 'leads', targetKey: 'leads', rowCount: 2, rowMeta: [interval, interval] });
    expect((await file!.body.read()).toString()).toBe('email\r\na@x.com\r\nb@x.com\r\n');
    expect(progress.counters).toMatchObject({ filesCut: 1, bytesCut: file!.body.byteLength });
  });

  test('each program group gets its own files; rows of a group Marketo does not have are rejected locally', async () => {
    const { batchers, ledger, progress, queued, logs } = setup();
    const interval = ledger.recordsReceived('members', 1);
    await batchers.add(rows('members', ['a@x.com'], { programId: '1001', status: 'Attended' }), interval);
    await batchers.add(rows('members', ['b@x.com', 'c@x.com'], { programId: '9', status: 'Attended' }), ledger.recordsReceived('members', 2));
    // Only the row in a file is still pending.
    expect([interval.pending, interval.rejected]).toEqual([1, 2]);
    expect(progress.counters.rowsRejected).toBe(2);
    expect(logs).toEqual([
      'WARN Stream "members": row "b@x.com" rejected: program 9 has no status "Attended"',
      'WARN Stream "members": row "c@x.com" rejected: program 9 has no status "Attended"',
    ]);
    batchers.flush();
    expect(queued.map((f) => f.target)).toEqual([{ kind: 'program_members', programId: '1001', status: 'Attended' }]);
  });

  test('flushOlderThan cuts only files whose oldest row is that old', () => {
    const { batchers, ledger, queued } = setup();
    batchers.add(rows('leads', ['a@x.com']), ledger.recordsReceived('leads', 1));
    batchers.flushOlderThan(Date.now() - 60_000);
    expect(queued).toHaveLength(0);
    batchers.flushOlderThan(Date.now());
    expect(queued).toHaveLength(1);
  });
});
