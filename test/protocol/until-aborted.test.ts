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
