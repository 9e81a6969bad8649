import { describe, expect, test } from 'vitest';
import { BufferPool } from '../../src/pipeline/buffer-pool.js';
import { CsvFileBuilder } from '../../src/pipeline/csv-file.js';
import { pushRow } from '../helpers/rows.js';

describe('BufferPool', () => {
  test('hands back a returned buffer instead of allocating, and keeps at most `keep`', () => {
    const pool = new BufferPool(1024, 1);
    const a = pool.take();
    const b = pool.take();
    pool.give(a.subarray(0, 10));
    pool.give(b);
    expect(pool.take().buffer).toBe(a.buffer);
    expect(pool.take().buffer).not.toBe(b.buffer);
  });

  test('ignores views that do not start a pool buffer', () => {
    const pool = new BufferPool(1024);
    pool.give(Buffer.alloc(1024).subarray(1));
    pool.give(Buffer.alloc(512));
    const fresh = pool.take();
    expect(fresh.length).toBe(1024);
  });

  test('a builder fills pool buffers; a file cut early is copied out and its buffer returned', () => {
    const pool = new BufferPool(1024);
    const builder = new CsvFileBuilder<null>({ header: ['a'], format: 'csv', maxBytes: 1024, pool });
    pushRow(builder, ['x'], null);
    const small = builder.cut()!;
    expect(small.bytes.toString()).toBe('a\r\nx\r\n');
    pushRow(builder, ['y'.repeat(600)], null);
    const big = builder.cut()!;
    expect(big.bytes.buffer.byteLength).toBe(1024); // the pool buffer the small file gave back, not a copy
    expect(big.bytes.toString()).toBe(`a\r\n${'y'.repeat(600)}\r\n`);
    expect(small.bytes.toString()).toBe('a\r\nx\r\n');
  });
});
