import { describe, expect, test } from 'vitest';
import { keptRecord, MAX_KEPT_DEPTH } from '../../src/encoding/kept-record.js';

/** `levels` levels of objects and arrays, alternating. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 1; i <= levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

describe('keptRecord', () => {
  test('a record no deeper than the limit is kept as it is, the same object', () => {
    const data = { email: 'a@x', note: nested(MAX_KEPT_DEPTH), n: 1, empty: null };
    const kept = keptRecord(data);
    expect(kept).toEqual({ record: data });
    expect(kept.record).toBe(data);
  });

  test('each field deeper than the limit is nulled and named, the others kept; the record received is not changed', () => {
    const deep = nested(100_000);
    const data = { email: 'a@x', note: deep, ok: nested(3), more: nested(MAX_KEPT_DEPTH + 1) };
    const kept = keptRecord(data);
    expect(kept.nulled).toEqual(['note', 'more']);
    expect(kept.record).toEqual({ email: 'a@x', note: null, ok: nested(3), more: null });
    expect(data.note).toBe(deep);
    // What is kept can go to the main thread and into JSON text.
    expect(() => JSON.stringify(structuredClone(kept.record))).not.toThrow();
  });
});
