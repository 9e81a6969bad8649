import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, test } from 'vitest';
import { untilAborted } from '../../src/protocol/until-aborted.js';

/** Yields 1 and 2, then waits for ever; `closed` tells whether its `finally` ran. */
function source() {
  const state = { closed: false };
  async function* generate(): AsyncGenerator<number> {
    try {
      yield 1;
      yield 2;
      await new Promise(() => undefined);
    } finally {
      state.closed = true;
    }
  }
  return { iterable: generate(), state };
}

test('ends the iteration at the abort, even while the source waits', async () => {
  const controller = new AbortController();
  const { iterable } = source();
  const seen: number[] = [];
  for await (const value of untilAborted(iterable, controller.signal)) {
    seen.push(value);
    if (value === 2) setImmediate(() => controller.abort());
  }
  expect(seen).toEqual([1, 2]);
});

test('a consumer that stops early closes the source, as a plain for-await would', async () => {
  const { iterable, state } = source();
  for await (const value of untilAborted(iterable, new AbortController().signal)) if (value === 1) break;
  expect(state.closed).toBe(true);
});

test('an input that ends before any abort is passed through whole', async () => {
  async function* three() {
    yield* [1, 2, 3];
  }
  const seen: number[] = [];
  for await (const value of untilAborted(three(), new AbortController().signal)) seen.push(value);
  expect(seen).toEqual([1, 2, 3]);
});

test('keeps no item it has handed on: a long sync reads its whole input through it', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const controller = new AbortController();
  const refs: WeakRef<object>[] = [];
  async function* items(): AsyncGenerator<object> {
    for (;;) {
      const item = { chunk: new ArrayBuffer(1024) };
      refs.push(new WeakRef(item));
      yield item;
    }
  }
  const iterator = untilAborted(items(), controller.signal)[Symbol.asyncIterator]();
  for (let i = 0; i < 200; i++) await iterator.next();
  // Let the last reactions run, then collect: every item but the newest must be gone while the sync goes on.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  expect(refs.slice(0, -2).filter((ref) => ref.deref() !== undefined)).toEqual([]);
  controller.abort();
  await iterator.return(undefined);
});
