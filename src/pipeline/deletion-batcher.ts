import type { EncodedDeletion } from '../encoding/deletion-encoder.js';
import { targetKey } from '../marketo/bulk-import.js';
import { RECORDS_PER_CALL } from '../marketo/deletes.js';
import type { Interval } from './checkpoints.js';
import type { DeleteBatch, PendingDeletion } from './delete-runner.js';
import type { ResolvedStream } from './stream-target.js';

export interface DeletionHooks {
  onBatch: (batch: DeleteBatch) => void;
  /** Cuts the stream's open import file now: a deletion of one of its keys must be ordered after it. */
  flushImports: () => void;
}

interface OpenBatch {
  records: PendingDeletion[];
  hashes: Set<number>;
  createdAt: number;
}

/**
 * Gathers one stream's deletions into batches of 300 (per program for program members), and cuts batches and import
 * files so that, for any key, the unit holding an earlier record is always cut before the unit holding a later one:
 * a deletion of a key in the open import file cuts that file first, and a row of a key in an open batch cuts that
 * batch first. Cut order then is input order wherever it matters (see DeleteQueue).
 */
export class DeletionBatcher {
  private readonly open = new Map<string, OpenBatch>();
  /** Key hashes of the rows in the stream's open import file (CDC streams only: the others import nothing). */
  private readonly fileKeys = new Set<number>();

  constructor(
    readonly stream: ResolvedStream,
    private readonly hooks: DeletionHooks,
  ) {}

  add(deletion: EncodedDeletion, interval: Interval): void {
    if (this.fileKeys.has(deletion.hash)) this.hooks.flushImports();
    const group = deletion.programId ?? '';
    let batch = this.open.get(group);
    if (!batch) this.open.set(group, (batch = { records: [], hashes: new Set(), createdAt: Date.now() }));
    const { key, programId, hash, lookup, emittedAt } = deletion;
    batch.records.push({ key, hash, lookup, emittedAt, interval, ...(programId === undefined ? {} : { programId }) });
    batch.hashes.add(hash);
    if (batch.records.length >= RECORDS_PER_CALL) this.cut(group);
  }

  /** Rows of the stream are about to join its open import file. */
  rowsAdded(keys: Float64Array): void {
    if (this.open.size > 0) {
      for (const [group, batch] of this.open) if (keys.some((hash) => batch.hashes.has(hash))) this.cut(group);
    }
    for (const hash of keys) this.fileKeys.add(hash);
  }

  /** The stream's open import file was cut. */
  fileCut(): void {
    this.fileKeys.clear();
  }

  flush(): void {
    for (const group of [...this.open.keys()]) this.cut(group);
  }

  get oldestAt(): number | undefined {
    let oldest: number | undefined;
    for (const batch of this.open.values()) if (oldest === undefined || batch.createdAt < oldest) oldest = batch.createdAt;
    return oldest;
  }

  private cut(group: string): void {
    const batch = this.open.get(group);
    if (!batch) return;
    this.open.delete(group);
    const { stream } = this;
    const programId = group === '' ? undefined : group;
    const target = programId !== undefined && stream.target.kind === 'program_members' ? { ...stream.target, programId } : stream.target;
    this.hooks.onBatch({
      stream: stream.name,
      streamKey: stream.key,
      target,
      targetKey: targetKey(target),
      deletes: stream.deletes!,
      ...(programId === undefined ? {} : { programId }),
      records: batch.records,
      keys: Float64Array.from(batch.hashes).sort(),
    });
  }
}
