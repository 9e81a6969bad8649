import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { EncodedChunk, EncoderPlan } from '../../src/encoding/chunk-encoder.js';
import { defaultEncoderThreads, encodeChunks } from '../../src/encoding/encoder-pool.js';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { readLineChunks, type LineChunk } from '../../src/protocol/line-chunks.js';
import { streamKey } from '../../src/protocol/messages.js';

// Built by `pretest` (npm run build): the worker runs the compiled encoder.
const workerUrl = new URL('../../dist/encoding/encode-worker.js', import.meta.url);

const LEADS = streamKey('leads');
const plan: EncoderPlan = {
  streams: [{ key: LEADS, columns: [{ name: 'email', source: 'email' }, { name: 'name', source: 'name' }], keyColumns: [0] }],
  format: 'csv',
  maxBytes: 1_000_000,
};

const record = (email: string, name: string): string =>
  JSON.stringify({ type: 'RECORD', record: { stream: 'leads', data: { email, name }, emitted_at: 1 } });
const state = (n: number): string => JSON.stringify({ type: 'STATE', state: { type: 'LEGACY', data: { n } } });

const chunkOf = (lines: string[], firstLine: number): LineChunk => ({
  bytes: new TextEncoder().encode(lines.map((line) => `${line}\n`).join('')),
  firstLine,
});

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Rows and states of encoded chunks, in the order they come out: `row:<line>` and `state:<input line>`. */
function tokensOf(chunk: EncodedChunk): string[] {
  const tokens: string[] = [];
  for (const item of chunk.items) {
    if (item.kind === 'rows') {
      let start = 0;
      for (const end of item.ends) {
        tokens.push(`row:${decode(item.bytes.subarray(start, end))}`);
        start = end;
      }
    } else if (item.kind === 'message') {
      tokens.push(`${item.message.type.toLowerCase()}:${item.message.line}`);
    } else {
      tokens.push(item.kind);
    }
  }
  return tokens;
}

/** A few thousand records, a state every so often, multi-byte text and quoted cells among them. */
function bigInput(records: number) {
  const lines: string[] = [];
  const expected: string[] = [];
  const keys: number[] = [];
  let csv = '';
  for (let i = 0; i < records; i++) {
    const email = `user${i}@example.com`;
    const name = i % 3 === 0 ? `名前 ${i} 😀` : i % 7 === 0 ? `Doe, J${i}` : `n${i}`;
    lines.push(record(email, name));
    const row = `${email},${name.includes(',') ? `"${name}"` : name}\r\n`;
    expected.push(`row:${row}`);
    keys.push(hash52(email));
    csv += row;
    if (i % 97 === 96) {
      lines.push(state(i));
      expected.push(`state:${lines.length}`);
    }
  }
  const text = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  // ~1 KB reads, cut anywhere: inside lines and inside multi-byte characters.
  const reads: Buffer[] = [];
  for (let at = 0; at < text.length; at += 1000) reads.push(text.subarray(at, at + 1000));
  return { reads, expected, keys, csv };
}

let postMessage: MockInstance;
beforeEach(() => {
  postMessage = vi.spyOn(Worker.prototype, 'postMessage');
});
afterEach(() => {
  postMessage.mockRestore();
});

/** The worker threads chunks were sent to since the test began. */
const workersUsed = (): Worker[] => [...new Set(postMessage.mock.contexts as Worker[])];

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('defaultEncoderThreads', () => {
  it('leaves the main thread a core: none on one or two cores, then one per core beyond the first, at most four', () => {
    expect(defaultEncoderThreads(1)).toBe(0);
    expect(defaultEncoderThreads(2)).toBe(0);
    expect(defaultEncoderThreads(3)).toBe(2);
    expect(defaultEncoderThreads(5)).toBe(4);
    expect(defaultEncoderThreads(16)).toBe(4);
  });
});

describe.each([0, 2])('encodeChunks with %i threads', (threads) => {
  const options = { threads, workerUrl };

  it('hands every chunk back in input order, rows and states in place', async () => {
    const { reads, expected, keys, csv } = bigInput(3000);
    const tokens: string[] = [];
    const allKeys: number[] = [];
    let bytes = '';
    let records = 0;
    let chunks = 0;
    for await (const chunk of encodeChunks(readLineChunks(Readable.from(reads)), plan, options)) {
      expect(chunk.failure).toBeUndefined();
      chunks++;
      records += chunk.records;
      tokens.push(...tokensOf(chunk));
      for (const item of chunk.items) {
        if (item.kind !== 'rows') continue;
        bytes += decode(item.bytes);
        allKeys.push(...item.keys);
      }
    }
    expect(chunks).toBeGreaterThan(200);
    expect(records).toBe(3000);
    expect(bytes).toBe(csv);
    expect(tokens).toEqual(expected);
    expect(allKeys).toEqual(keys);
    if (threads > 0) {
      expect(workersUsed()).toHaveLength(threads);
      for (const worker of workersUsed()) expect(worker.threadId).toBe(-1);
    } else {
      expect(postMessage).not.toHaveBeenCalled();
    }
  });

  it('rethrows an error of its input after the chunks read before it', async () => {
    const failure = new Error('stdin broke');
    async function* input(): AsyncGenerator<LineChunk> {
      yield chunkOf([record('a@x', 'A')], 1);
      yield chunkOf([state(1)], 2);
      throw failure;
    }
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const chunk of encodeChunks(input(), plan, options)) seen.push(...tokensOf(chunk));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    expect(seen).toEqual(['row:a@x,A\r\n', 'state:2']);
    for (const worker of workersUsed()) expect(worker.threadId).toBe(-1);
  });
});

describe('encodeChunks on worker threads', () => {
  const options = { threads: 2, workerUrl };

  it('hands on the results it has while its input waits', async () => {
    const more = gate();
    let askedAfterWait = false;
    async function* input(): AsyncGenerator<LineChunk> {
      yield chunkOf([record('a@x', 'A')], 1);
      yield chunkOf([record('b@x', 'B'), state(1)], 2);
      yield chunkOf([record('c@x', 'C')], 4);
      await more.opened;
      askedAfterWait = true;
      yield chunkOf([record('d@x', 'D'), state(2)], 5);
    }
    const results = encodeChunks(input(), plan, options);
    try {
      // Were results held back until more input came, these would never resolve (and the test would time out).
      const first = await results.next();
      const second = await results.next();
      const third = await results.next();
      expect(askedAfterWait).toBe(false);
      expect([first, second, third].map((r) => (r.done ? 'done' : tokensOf(r.value)))).toEqual([
        ['row:a@x,A\r\n'],
        ['row:b@x,B\r\n', 'state:3'],
        ['row:c@x,C\r\n'],
      ]);
      more.open();
      const fourth = await results.next();
      expect(fourth.done ? 'done' : tokensOf(fourth.value)).toEqual(['row:d@x,D\r\n', 'state:6']);
      expect((await results.next()).done).toBe(true);
    } finally {
      more.open();
      await results.return(undefined);
    }
  });

  it('delivers a bad line as the failure of its chunk, after the chunks before it', async () => {
    const chunks = [
      chunkOf([record('a@x', 'A')], 1),
      chunkOf([record('b@x', 'B'), state(1)], 2),
      chunkOf([record('c@x', 'C')], 4),
      chunkOf([record('d@x', 'D'), state(2), record('e@x', 'E'), '{"type":', record('f@x', 'F')], 5),
    ];
    async function* input(): AsyncGenerator<LineChunk> {
      yield* chunks;
    }
    const results: EncodedChunk[] = [];
    for await (const chunk of encodeChunks(input(), plan, options)) results.push(chunk);
    expect(results.map((r) => r.failure)).toEqual([
      undefined,
      undefined,
      undefined,
      { message: 'Input line 8 is not valid JSON.', failureType: 'system_error', internalMessage: expect.any(String) },
    ]);
    expect(results.map(tokensOf)).toEqual([
      ['row:a@x,A\r\n'],
      ['row:b@x,B\r\n', 'state:3'],
      ['row:c@x,C\r\n'],
      ['row:d@x,D\r\n', 'state:6', 'row:e@x,E\r\n'],
    ]);
    expect(results[3]!.records).toBe(2);
  });

  it('terminates its threads and closes its input when the caller stops early', async () => {
    const closed = gate();
    let sent = 0;
    async function* endless(): AsyncGenerator<LineChunk> {
      try {
        for (let line = 1; ; line += 2) {
          sent++;
          yield chunkOf([record(`u${line}@x`, 'N'), state(line)], line);
        }
      } finally {
        closed.open();
      }
    }
    const seen: string[] = [];
    for await (const chunk of encodeChunks(endless(), plan, options)) {
      seen.push(...tokensOf(chunk));
      if (seen.length === 6) break;
    }
    expect(seen).toEqual(['row:u1@x,N\r\n', 'state:2', 'row:u3@x,N\r\n', 'state:4', 'row:u5@x,N\r\n', 'state:6']);
    const workers = workersUsed();
    expect(workers).toHaveLength(2);
    // terminate() has resolved by the time the loop is left: a thread that has exited has no id.
    for (const worker of workers) expect(worker.threadId).toBe(-1);
    // The input is read ahead a bounded amount, then closed rather than left waiting.
    await closed.opened;
    // Three handed on, at most 8 per thread in flight (CHUNKS_PER_THREAD), and one waiting for a slot.
    expect(sent).toBeLessThanOrEqual(3 + 8 * 2 + 1);

    // A fresh run afterwards starts threads of its own and works.
    postMessage.mockClear();
    const again: string[] = [];
    async function* two(): AsyncGenerator<LineChunk> {
      yield chunkOf([record('x@x', 'X')], 1);
      yield chunkOf([state(9)], 2);
    }
    for await (const chunk of encodeChunks(two(), plan, options)) again.push(...tokensOf(chunk));
    expect(again).toEqual(['row:x@x,X\r\n', 'state:2']);
    expect(workersUsed().every((worker) => !workers.includes(worker))).toBe(true);
  });

  // A chunk sent after a thread failed is rejected at once; that rejection waits in the window like any other.
  it('does not leave a chunk read after a thread failed as an unhandled rejection', async () => {
    const crashing = new URL(
      `data:text/javascript,${encodeURIComponent(`
        import { parentPort } from 'node:worker_threads';
        let n = 0;
        parentPort.on('message', () => {
          if (++n === 2) throw new Error('encoder crashed');
          parentPort.postMessage({ items: [], records: 1 });
        });
      `)}`,
    );
    const more = gate();
    const readPastFailure = gate();
    async function* input(): AsyncGenerator<LineChunk> {
      yield chunkOf([record('a@x', 'A')], 1);
      yield chunkOf([record('b@x', 'B')], 2);
      await more.opened;
      yield chunkOf([record('c@x', 'C')], 3);
      // Asked for the next chunk: the one before has been sent.
      readPastFailure.open();
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    const vitestListeners = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onUnhandled);
    const results = encodeChunks(input(), plan, { threads: 1, workerUrl: crashing });
    try {
      const first = await results.next();
      expect(first.done ? undefined : first.value.records).toBe(1);
      const [worker] = workersUsed();
      // (Not events.once: it would reject on the 'error' that comes first.)
      if (worker!.threadId !== -1) await new Promise((resolve) => worker!.once('exit', resolve));
      // The thread has failed; the caller is still busy with the first result when more input comes.
      more.open();
      await readPastFailure.opened;
      // One turn of the event loop, in which Node reports rejections left unhandled.
      await new Promise((resolve) => setImmediate(resolve));
      await expect(results.next()).rejects.toThrow('An encoder thread failed.');
      expect(unhandled).toEqual([]);
    } finally {
      more.open();
      await results.return(undefined).catch(() => undefined);
      process.removeListener('unhandledRejection', onUnhandled);
      for (const listener of vitestListeners) process.on('unhandledRejection', listener);
    }
  });
});
