// The checkpoint ledger: decides when each input STATE may be echoed, and with which destinationStats.
//
// Every record is counted in the open interval of its stream. A STREAM state closes its stream's interval; a GLOBAL
// or LEGACY state closes every open interval. A state is echoed once all records in its intervals are settled
// (their job is Complete, or they were rejected) and every earlier state has been echoed, so states leave in input
// order and never ahead of data that is not yet in Marketo.

import type { AirbyteStateEnvelope, AirbyteStateMessage } from '../protocol/messages.js';

/** Records of one stream between two states. Rows in files point at their interval. */
export class Interval {
  received = 0;
  rejected = 0;
  /** Records not yet settled. */
  pending = 0;
}

export type StateScope = { kind: 'stream'; streamKey: string } | { kind: 'all' };

interface HeldState {
  message: AirbyteStateEnvelope;
  state: AirbyteStateMessage;
  intervals: Interval[];
}

export class CheckpointLedger {
  private readonly open = new Map<string, Interval>();
  private readonly held: HeldState[] = [];
  released = 0;

  constructor(private readonly emit: (message: AirbyteStateEnvelope) => void) {}

  /** `count` records of the stream arrived; they belong to (and are pending in) the interval returned. */
  recordsReceived(streamKey: string, count: number): Interval {
    let interval = this.open.get(streamKey);
    if (!interval) {
      interval = new Interval();
      this.open.set(streamKey, interval);
    }
    interval.received += count;
    interval.pending += count;
    return interval;
  }

  /** `count` records of `interval` are settled, `rejected` of them rejected (by Marketo or locally). */
  settle(interval: Interval, count: number, rejected = 0): void {
    interval.pending -= count;
    interval.rejected += rejected;
  }

  /**
   * The rows of a file whose job is Complete are settled: row i belongs to `rowMeta[i]`, and the rows in `failed`
   * count as rejected. With `holdFailed`, the rows in `failed` stay pending: the caller settles them later (once their
   * records are stored). Returns how many rows of the file were rejected.
   */
  settleFile(rowMeta: readonly Interval[], failed: ReadonlySet<number>, unmatchedFailures: number, holdFailed = false): number {
    const perInterval = new Map<Interval, { count: number; rejected: number; held: number }>();
    rowMeta.forEach((interval, row) => {
      let entry = perInterval.get(interval);
      if (!entry) perInterval.set(interval, (entry = { count: 0, rejected: 0, held: 0 }));
      entry.count++;
      if (failed.has(row)) entry.rejected++;
    });
    if (holdFailed) for (const entry of perInterval.values()) entry.held = entry.rejected;
    // Failures Marketo counted but we could not match still count, against the latest rows of the file.
    let unmatched = unmatchedFailures;
    for (const entry of [...perInterval.values()].reverse()) {
      const extra = Math.min(unmatched, entry.count - entry.rejected);
      entry.rejected += extra;
      unmatched -= extra;
    }
    let rejected = 0;
    for (const [interval, entry] of perInterval) {
      this.settle(interval, entry.count - entry.held, entry.rejected - entry.held);
      rejected += entry.rejected;
    }
    return rejected;
  }

  stateReceived(message: AirbyteStateEnvelope, state: AirbyteStateMessage, scope: StateScope): void {
    const intervals: Interval[] = [];
    if (scope.kind === 'stream') {
      const interval = this.open.get(scope.streamKey);
      if (interval) intervals.push(interval);
      this.open.delete(scope.streamKey);
    } else {
      intervals.push(...this.open.values());
      this.open.clear();
    }
    this.held.push({ message, state, intervals });
    this.release();
  }

  /** Echoes every state, in order, whose data is settled. Call after each settle. */
  release(): void {
    while (this.held.length > 0 && this.held[0]!.intervals.every((i) => i.pending === 0)) {
      const { message, state, intervals } = this.held.shift()!;
      const received = intervals.reduce((sum, i) => sum + i.received, 0);
      const rejected = intervals.reduce((sum, i) => sum + i.rejected, 0);
      this.released++;
      // The same object as received, platform `id` and unknown fields included; only destinationStats is added.
      this.emit({ ...message, state: { ...state, destinationStats: { recordCount: received - rejected, rejectedRecordCount: rejected } } });
    }
  }

  /** States still waiting for their data. */
  get heldCount(): number {
    return this.held.length;
  }
}

/** Which records a state covers, from its type (a state without a type is LEGACY, per the protocol). */
export function scopeOf(state: Record<string, unknown>, keyOf: (name: string, namespace?: string) => string): StateScope {
  if (state.type === 'STREAM') {
    const descriptor = (state.stream as { stream_descriptor?: { name?: unknown; namespace?: unknown } } | undefined)
      ?.stream_descriptor;
    if (descriptor && typeof descriptor.name === 'string') {
      const namespace = typeof descriptor.namespace === 'string' ? descriptor.namespace : undefined;
      return { kind: 'stream', streamKey: keyOf(descriptor.name, namespace) };
    }
  }
  return { kind: 'all' };
}
