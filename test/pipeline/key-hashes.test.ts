import { describe, expect, test } from 'vitest';
import { hash52, intersects, KeyHashesBuilder } from '../../src/pipeline/key-hashes.js';

const sealed = (keys: string[]) => {
  const b = new KeyHashesBuilder();
  for (const k of keys) b.add(k);
  return b.seal();
};

describe('key hashes', () => {
  test('hashes are deterministic 52-bit integers that tell similar keys apart', () => {
    expect(hash52('a@example.com')).toBe(hash52('a@example.com'));
    const seen = new Set<number>();
    for (let i = 0; i < 200_000; i++) seen.add(hash52(`user${i}@example.com`));
    expect(seen.size).toBe(200_000);
    for (const h of [...seen].slice(0, 100)) expect(Number.isSafeInteger(h) && h >= 0 && h < 2 ** 52).toBe(true);
  });

  test('two files intersect exactly when they share a lookup value', () => {
    const a = sealed(['x', 'y', 'z', ...Array.from({ length: 3000 }, (_, i) => `a${i}`)]);
    const b = sealed(Array.from({ length: 3000 }, (_, i) => `b${i}`));
    expect(intersects(a, b)).toBe(false);
    expect(intersects(a, sealed(['q', 'z']))).toBe(true);
    expect(intersects(sealed([]), a)).toBe(false);
  });

  test('the builder grows past its first allocation and starts afresh after seal', () => {
    const builder = new KeyHashesBuilder();
    for (let i = 0; i < 5000; i++) builder.add(String(i));
    const first = builder.seal();
    expect(first).toHaveLength(5000);
    expect([...first]).toEqual([...first].sort((p, q) => p - q));
    expect(builder.seal()).toHaveLength(0);
  });
});
