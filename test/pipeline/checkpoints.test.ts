import { describe, expect, test } from 'vitest';
import { CheckpointLedger, scopeOf } from '../../src/pipeline/checkpoints.js';
import { AirbyteStateMessage } from '../../src/protocol/messages.js';

const key = (name: string) => `k:${name}`;
const streamState = (name: string, id: number) => ({ type: 'STREAM', id, stream: { stream_descriptor: { name }, stream_state: { c: id } } });

function ledger() {
  const emitted: Record<string, unknown>[] = [];
  const l = new CheckpointLedger((m) => emitted.push(m));
  const state = (s: Record<string, unknown>) => {
    const parsed = AirbyteStateMessage.parse(s);
    l.stateReceived({ type: 'STATE', state: parsed }, parsed, scopeOf(parsed, key));
  };
  const stats = () => emitted.map((m) => (m.state as Record<string, unknown>).destinationStats);
  return { l, emitted, state, stats };
}

describe('CheckpointLedger', () => {
  test('holds a state until its records are settled, then echoes it verbatim with destinationStats', () => {
    const { l, emitted, state } = ledger();
    const a = l.recordsReceived(key('a'), 1);
    l.recordsReceived(key('a'), 1);
    state({ type: 'LEGACY', data: { cursor: 1 }, id: 7, extra: 'kept' });
    expect(emitted).toHaveLength(0);
    l.settle(a, 2, 1);
    l.release();
    expect(emitted).toEqual([
      { type: 'STATE', state: { type: 'LEGACY', data: { cursor: 1 }, id: 7, extra: 'kept', destinationStats: { recordCount: 1, rejectedRecordCount: 1 } } },
    ]);
  });

  test('a STREAM state waits only for its own stream, but states leave in input order', () => {
    const { l, emitted, state, stats } = ledger();
    const a = l.recordsReceived(key('a'), 1);
    const b = l.recordsReceived(key('b'), 1);
    state(streamState('a', 1));
    state(streamState('b', 2));
    l.settle(b, 1);
    l.release();
    expect(emitted).toHaveLength(0); // b is ready but a (earlier) is not
    l.settle(a, 1);
    l.release();
    expect(emitted.map((m) => (m.state as { id: number }).id)).toEqual([1, 2]);
    expect(stats()).toEqual([
      { recordCount: 1, rejectedRecordCount: 0 },
      { recordCount: 1, rejectedRecordCount: 0 },
    ]);
  });

  test('STREAM state counts only its stream since its previous state; GLOBAL counts all streams', () => {
    const { l, state, stats } = ledger();
    const intervals = [l.recordsReceived(key('a'), 1), l.recordsReceived(key('a'), 1), l.recordsReceived(key('b'), 1)];
    state(streamState('a', 1)); // covers a's two records
    const c = l.recordsReceived(key('a'), 1);
    state({ type: 'GLOBAL', id: 2, global: { stream_states: [] } }); // covers b's record and a's third
    for (const i of new Set(intervals)) l.settle(i, i.received);
    l.settle(c, 1);
    l.release();
    expect(stats()).toEqual([
      { recordCount: 2, rejectedRecordCount: 0 },
      { recordCount: 2, rejectedRecordCount: 0 },
    ]);
  });

  test('settleFile settles a file row by row, charging unmatched failures to its latest rows', () => {
    const { l, state, stats } = ledger();
    const a = l.recordsReceived(key('a'), 3);
    state(streamState('a', 1));
    const b = l.recordsReceived(key('a'), 2);
    state(streamState('a', 2));
    // Rows 0-2 came before state 1, rows 3-4 before state 2; row 0 failed, and Marketo counted 3 more it could not name.
    expect(l.settleFile([a, a, a, b, b], new Set([0]), 3)).toBe(4);
    expect([a.pending, b.pending]).toEqual([0, 0]);
    l.release();
    expect(stats()).toEqual([
      { recordCount: 1, rejectedRecordCount: 2 },
      { recordCount: 0, rejectedRecordCount: 2 },
    ]);
  });

  test('settleFile with holdFailed leaves the matched failed rows pending for their caller, and still counts them', () => {
    const { l, state, stats } = ledger();
    const a = l.recordsReceived(key('a'), 3);
    state(streamState('a', 1));
    expect(l.settleFile([a, a, a], new Set([1]), 1, true)).toBe(2);
    // The unmatched failure settles now; the matched one waits.
    expect([a.pending, a.rejected]).toEqual([1, 1]);
    l.release();
    expect(stats()).toEqual([]);
    l.settle(a, 1, 1);
    l.release();
    expect(stats()).toEqual([{ recordCount: 1, rejectedRecordCount: 2 }]);
  });

  test('a state with no records before it is echoed at once with zero counts', () => {
    const { emitted, state, stats } = ledger();
    state(streamState('a', 1));
    expect(emitted).toHaveLength(1);
    expect(stats()).toEqual([{ recordCount: 0, rejectedRecordCount: 0 }]);
  });

  test('a state without a type is LEGACY and covers every stream', () => {
    expect(scopeOf({ data: {} }, key)).toEqual({ kind: 'all' });
    expect(scopeOf(streamState('x', 1), key)).toEqual({ kind: 'stream', streamKey: 'k:x' });
  });
});
