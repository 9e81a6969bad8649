import { describe, expect, test } from 'vitest';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { intersects, KeyHashesBuilder } from '../../src/pipeline/key-hashes.js';
import { sealedHashes } from '../helpers/rows.js';

const sealed = sealedHashes;

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

  test('the builder takes ranges of runs, grows past its first allocation and starts afresh after seal', () => {
    const builder = new KeyHashesBuilder();
    const run = Float64Array.from({ length: 5000 }, (_, i) => hash52(String(i)));
    builder.add(run, 0, 10);
    builder.add(run, 10, 4000);
    builder.add(run, 4000, 4000);
    builder.add(run, 4000, 5000);
    const first = builder.seal();
    expect([...first]).toEqual([...run].sort((p, q) => p - q));
    expect(builder.seal()).toHaveLength(0);
    builder.add(run, 7, 9);
    expect([...builder.seal()]).toEqual([run[7], run[8]].sort((p, q) => p! - q!));
  });
});
