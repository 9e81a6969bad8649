import { targetKey } from '../marketo/bulk-import.js';
import type { Interval } from './checkpoints.js';
import { StreamBatcher, type BatcherHooks, type BatcherOptions, type ResolvedStream } from './stream-batcher.js';

/** The program and status columns of a data-activation program member stream. */
export interface GroupColumns {
  programId: string;
  status: string;
}

/** Why a group cannot be imported (no such program, no such status), or [] when it can. */
export type GroupCheck = (programId: string, status: string) => Promise<string[]>;

/**
 * Program member rows that name their own program and status: each (program, status) group is its own import target
 * with its own files, because Marketo takes both as parameters of the import call, not as columns.
 */
export class ProgramMemberGroups {
  /** A batcher per group, or the reason every row of that group is rejected. */
  private readonly groups = new Map<string, StreamBatcher | string>();

  constructor(
    private readonly stream: ResolvedStream,
    private readonly columns: GroupColumns,
    private readonly options: BatcherOptions,
    private readonly hooks: BatcherHooks,
    private readonly checkGroup: GroupCheck,
  ) {}

  async add(data: Record<string, unknown>, interval: Interval): Promise<void> {
    const { [this.columns.programId]: programId, [this.columns.status]: status, ...row } = data;
    if (programId === undefined || programId === null || programId === '' || typeof status !== 'string' || status === '') {
      const missing = programId === undefined || programId === null || programId === '' ? this.columns.programId : this.columns.status;
      return this.reject(interval, `Value for field '${missing}' not found`, row);
    }
    const key = `${String(programId)}\u0000${status}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      const problems = await this.checkGroup(String(programId), status);
      group = problems.length > 0 ? problems.join('; ') : this.batcherFor(String(programId), status);
      this.groups.set(key, group);
    }
    if (typeof group === 'string') return this.reject(interval, group, row);
    group.add(row, interval);
  }

  flush(): void {
    for (const group of this.groups.values()) if (typeof group !== 'string') group.flush();
  }

  get bufferedBytes(): number {
    let total = 0;
    for (const group of this.groups.values()) if (typeof group !== 'string') total += group.bufferedBytes;
    return total;
  }

  get oldestRowAt(): number | undefined {
    let oldest: number | undefined;
    for (const group of this.groups.values()) {
      const at = typeof group === 'string' ? undefined : group.oldestRowAt;
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return oldest;
  }

  private batcherFor(programId: string, status: string): StreamBatcher {
    const target = { kind: 'program_members' as const, programId, status };
    return new StreamBatcher({ ...this.stream, target, targetKey: targetKey(target) }, this.options, this.hooks);
  }

  private reject(interval: Interval, reason: string, row: Record<string, unknown>): void {
    this.hooks.onRejected(this.stream, interval, reason, String(row.email ?? ''));
  }
}
