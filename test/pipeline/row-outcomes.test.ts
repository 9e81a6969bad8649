import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { CheckpointLedger, scopeOf, type Interval } from '../../src/pipeline/checkpoints.js';
import { KeptFile, TempDir } from '../../src/pipeline/kept-file.js';
import { Progress } from '../../src/pipeline/progress.js';
import { RowOutcomes } from '../../src/pipeline/row-outcomes.js';
import type { CompletedJob } from '../../src/pipeline/scheduler.js';
import { sealedHashes } from '../helpers/rows.js';

const dir = new TempDir();
afterAll(() => dir.remove());

function setup() {
  const emitted: Record<string, unknown>[] = [];
  const logs: string[] = [];
  const ledger = new CheckpointLedger((m) => emitted.push(m));
  const progress = new Progress({ stderr: new PassThrough(), log: () => undefined, apiCalls: () => 0 });
  const outcomes = new RowOutcomes({ ledger, progress, log: (level, message) => logs.push(`${level} ${message}`) });
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
    file: {
      stream: 'contacts',
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
    outcomes.rejectedLocally('contacts', ledger.recordsReceived('contacts', 1), 'Invalid data type in field score', 'a@example.com');
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
