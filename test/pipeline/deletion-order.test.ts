import { describe, expect, test } from 'vitest';
import { Interval } from '../../src/pipeline/checkpoints.js';
import { DeleteQueue } from '../../src/pipeline/delete-queue.js';
import type { DeleteBatch } from '../../src/pipeline/delete-runner.js';
import { DeletionBatcher } from '../../src/pipeline/deletion-batcher.js';
import type { ResolvedStream } from '../../src/pipeline/stream-target.js';

const stream: ResolvedStream = {
  key: 'people',
  name: 'people',
  target: { kind: 'leads', lookupField: 'email' },
  targetKey: 'leads',
  columns: [{ name: 'email', source: 'email' }],
  keyColumns: [0],
  deletes: { records: 'cdc', effect: 'delete', key: ['email'] },
};
const interval = new Interval();
const deletion = (hash: number) => ({ kind: 'delete' as const, stream: 'people', key: [`k${hash}`], hash, lookup: `k${hash}`, emittedAt: 1 });

describe('DeletionBatcher: units are cut in input order for each key', () => {
  test('a deletion of a key in the open import file cuts the file first; a row of a key in the open batch cuts the batch first', () => {
    const events: string[] = [];
    const batcher = new DeletionBatcher(stream, {
      onBatch: (batch) => events.push(`batch ${[...batch.keys].join(',')}`),
      flushImports: () => {
        events.push('file');
        batcher.fileCut();
      },
    });
    batcher.rowsAdded(Float64Array.of(1, 2));
    batcher.add(deletion(3), interval); // not in the file: no cut
    batcher.add(deletion(2), interval); // in the file: the file goes first
    batcher.rowsAdded(Float64Array.of(4)); // not in the batch: no cut
    batcher.rowsAdded(Float64Array.of(3)); // in the batch: the batch goes first
    batcher.flush();
    expect(events).toEqual(['file', 'batch 2,3']);
  });

  test('300 deletions make a full batch', () => {
    const batches: DeleteBatch[] = [];
    const batcher = new DeletionBatcher(stream, { onBatch: (b) => batches.push(b), flushImports: () => undefined });
    for (let i = 0; i < 301; i++) batcher.add(deletion(i), interval);
    batcher.flush();
    expect(batches.map((b) => b.records.length)).toEqual([300, 1]);
  });
});

describe('DeleteQueue: deletes and imports of the same keys keep their cut order', () => {
  test('a batch waits for an earlier import of its keys; a later import waits for the batch; other keys pass', async () => {
    const started: string[] = [];
    let finishBatch = (): void => undefined;
    const queue = new DeleteQueue({
      run: (batch) => {
        started.push(`batch ${[...batch.keys].join(',')}`);
        return new Promise<void>((resolve) => (finishBatch = resolve));
      },
      toFatal: (error) => error,
      onChange: () => started.push('changed'),
      onFailure: () => undefined,
      signal: new AbortController().signal,
    });
    const unit = (...keys: number[]) => ({ targetKey: 'leads', keys: Float64Array.from(keys) });
    const early = unit(1, 2);
    queue.importCut(early);
    const batch = { ...unit(2), stream: 'people', streamKey: 'people', target: stream.target, deletes: stream.deletes!, records: [] };
    queue.enqueue(batch);
    const late = unit(2, 9);
    const unrelated = unit(7);
    queue.importCut(late);
    queue.importCut(unrelated);
    expect(started).toEqual([]);
    expect([queue.mayStartImport(late), queue.mayStartImport(unrelated)]).toEqual([false, true]);
    queue.importDone(early);
    expect(started).toEqual(['batch 2']);
    finishBatch();
    await queue.drain();
    expect(started).toEqual(['batch 2', 'changed']);
    expect(queue.mayStartImport(late)).toBe(true);
  });
});
