import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { KeptFile, TempDir } from '../../src/pipeline/kept-file.js';

const dir = new TempDir();
afterAll(() => dir.remove());

function kept(text: string) {
  const released: string[] = [];
  const file = new KeptFile(Buffer.from(text), dir, (bytes) => released.push(bytes.toString()));
  return { file, released };
}

describe('KeptFile', () => {
  test('spilled bytes are read back from disk, given back once, and removed with discard', async () => {
    const { file, released } = kept('email\na@x');
    await file.spill();
    expect(released).toEqual(['email\na@x']);
    expect((await file.read()).toString()).toBe('email\na@x');
    expect(readdirSync(dir.path)).toHaveLength(1);
    // Customer data: owner only, in an owner-only folder.
    expect(statSync(path.join(dir.path, readdirSync(dir.path)[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir.path).mode & 0o777).toBe(0o700);
    await file.spill();
    expect(released).toHaveLength(1);
    await file.discard();
    expect(readdirSync(dir.path)).toHaveLength(0);
  });

  test('discarded while a spill is writing: the bytes are given back once, after the write, and no file is left', async () => {
    const { file, released } = kept('email\nb@x');
    const spilling = file.spill();
    await file.discard();
    // The write still reads the bytes, so they are not handed out yet.
    expect(released).toEqual([]);
    await spilling;
    expect(released).toEqual(['email\nb@x']);
    expect(readdirSync(dir.path)).toHaveLength(0);
    expect(existsSync(dir.path)).toBe(true);
  });

  test('a second spill while one is writing does nothing', async () => {
    const { file, released } = kept('email\nc@x');
    await Promise.all([file.spill(), file.spill()]);
    expect(released).toHaveLength(1);
    expect(readdirSync(dir.path)).toHaveLength(1);
    await file.discard();
  });
});
