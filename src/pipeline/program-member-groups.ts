import { targetKey } from '../marketo/bulk-import.js';
import type { EncodedRows } from '../encoding/chunk-encoder.js';
import type { Interval } from './checkpoints.js';
import { StreamBatcher, type BatcherHooks, type BatcherOptions } from './stream-batcher.js';
import type { ResolvedStream } from './stream-target.js';

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
    readonly stream: ResolvedStream,
    private readonly options: BatcherOptions,
    private readonly hooks: BatcherHooks,
    private readonly checkGroup: GroupCheck,
  ) {}

  /** Adds rows of one group; the first rows of a group wait for Marketo to confirm its program and status. */
  async add(rows: EncodedRows, interval: Interval): Promise<void> {
    if (!rows.group) throw new Error(`stream "${this.stream.name}": program member rows arrived without their program and status`);
    const { programId, status } = rows.group;
    const key = `${programId}\u0000${status}`;
    let group = this.groups.get(key);
    if (group === undefined) {
      const problems = await this.checkGroup(programId, status);
      group = problems.length > 0 ? problems.join('; ') : this.batcherFor(programId, status);
      this.groups.set(key, group);
    }
    if (typeof group !== 'string') return group.add(rows, interval);
    this.hooks.onRejected(this.stream, interval, group, rows);
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
}
