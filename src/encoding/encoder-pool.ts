/**
 * Encodes input chunks on worker threads, several at once, and yields the results in input order. Parsing and
 * encoding are most of a sync's CPU time; with them spread over the cores, the main thread is left with placing rows
 * into files and talking to Marketo.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { systemError } from '../protocol/errors.js';
import type { LineChunk } from '../protocol/line-chunks.js';
import { ChunkEncoder, type EncodedChunk, type EncoderPlan } from './chunk-encoder.js';

export interface EncoderPoolOptions {
  /** Worker threads; 0 encodes on the calling thread. */
  threads: number;
  /** The worker script; the built encode-worker.js next to this module by default. */
  workerUrl?: URL;
}

/**
 * batching.encoder_threads when unset: one per core beyond the first, at most 4. The main thread needs a core of its
 * own (placing rows, uploads, polls); on 2 cores, 2 threads measured no faster end to end than none, for about 35 MB
 * more memory (BENCHMARKS.md), so threads start at 3 cores.
 */
export function defaultEncoderThreads(cores = availableParallelism()): number {
  return cores < 3 ? 0 : Math.min(cores - 1, 4);
}

/**
 * Chunks each thread may hold at once. Enough that a thread has its next chunk waiting while the main thread is busy
 * elsewhere (cutting a file, an upload): 2 left the threads idle a fifth of the time; 8 is a few megabytes in all.
 */
const CHUNKS_PER_THREAD = 8;

export async function* encodeChunks(chunks: AsyncIterable<LineChunk>, plan: EncoderPlan, options: EncoderPoolOptions): AsyncGenerator<EncodedChunk> {
  if (options.threads === 0) {
    const encoder = new ChunkEncoder(plan);
    for await (const chunk of chunks) yield encoder.encode(chunk);
    return;
  }
  const pool = new EncoderThreads(plan, options.threads, options.workerUrl ?? new URL('./encode-worker.js', import.meta.url));
  const window = new SendWindow(CHUNKS_PER_THREAD * options.threads);
  // Input is read ahead while earlier chunks are handed on, and each result is handed on as soon as it is ready:
  // a source that goes quiet must not leave encoded rows (and the states after them) waiting for more input.
  void (async () => {
    for await (const chunk of chunks) {
      if (!(await window.reserve())) return;
      window.add(pool.encode(chunk));
    }
  })().then(
    () => window.end(),
    (error: unknown) => window.end(error),
  );
  try {
    for (let next = await window.next(); next !== undefined; next = await window.next()) yield await next;
  } finally {
    // Not waiting for the reading loop above: it may be waiting on input that never comes; closed, it stops at its next chunk.
    window.close();
    await pool.close();
  }
}

/** The chunks sent and not yet handed on, in input order, at most `size` of them. */
class SendWindow {
  readonly #sent: Promise<EncodedChunk>[] = [];
  #ended = false;
  #closed = false;
  #error: unknown;
  /** Wakes the reader (a new chunk was sent, or input ended) or the sender (a slot is free, or the window closed). */
  #wake: (() => void) | undefined;

  constructor(private readonly size: number) {}

  /** Waits for a free slot; false once the window is closed. */
  async reserve(): Promise<boolean> {
    while (!this.#closed && this.#sent.length >= this.size) await new Promise<void>((resolve) => (this.#wake = resolve));
    return !this.#closed;
  }

  add(result: Promise<EncodedChunk>): void {
    this.#sent.push(result);
    this.#notify();
  }

  end(error?: unknown): void {
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  /** The oldest chunk's result, or undefined once input has ended and every result was handed on. */
  async next(): Promise<Promise<EncodedChunk> | undefined> {
    while (this.#sent.length === 0 && !this.#ended) await new Promise<void>((resolve) => (this.#wake = resolve));
    const next = this.#sent.shift();
    this.#notify();
    if (next) return next;
    if (this.#error !== undefined) throw this.#error;
    return undefined;
  }

  close(): void {
    this.#closed = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/**
 * A thread's young generation, in MB. A thread keeps nothing between chunks, so a small one costs no speed, and it
 * takes about 25 MB of RSS off each thread (measured with 2 threads on 1M records: 199 MB peak by default, 143 MB).
 */
const YOUNG_GENERATION_MB = 4;

type Waiter = { resolve: (chunk: EncodedChunk) => void; reject: (error: Error) => void };

class EncoderThreads {
  readonly #workers: Worker[];
  /** Per worker, the callers of its chunks in the order sent: a worker answers in that order. */
  readonly #waiting: Waiter[][];
  #next = 0;
  #failure: Error | undefined;

  constructor(plan: EncoderPlan, threads: number, url: URL) {
    this.#workers = [];
    this.#waiting = [];
    for (let i = 0; i < threads; i++) {
      const waiting: Waiter[] = [];
      const worker = new Worker(url, { workerData: plan, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
      worker.on('message', (encoded: EncodedChunk) => waiting.shift()?.resolve(encoded));
      worker.on('error', (error) => this.#fail(systemError('An encoder thread failed.', { cause: error, internalMessage: error.stack ?? error.message })));
      worker.on('exit', (code) => this.#fail(systemError(`An encoder thread stopped (exit code ${code}).`)));
      this.#workers.push(worker);
      this.#waiting.push(waiting);
    }
  }

  encode(chunk: LineChunk): Promise<EncodedChunk> {
    const i = this.#next++ % this.#workers.length;
    const promise = this.#failure
      ? Promise.reject(this.#failure)
      : new Promise<EncodedChunk>((resolve, reject) => this.#waiting[i]!.push({ resolve, reject }));
    // Rejections are awaited in order by the caller; this keeps a later chunk's from being reported as unhandled.
    promise.catch(() => undefined);
    if (this.#failure) return promise;
    // A copy with a buffer of its own, which the worker then owns: a chunk may be a view into a larger read buffer.
    const bytes = new Uint8Array(chunk.bytes);
    this.#workers[i]!.postMessage({ bytes, firstLine: chunk.firstLine }, [bytes.buffer]);
    return promise;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting) for (const waiter of waiting.splice(0)) waiter.reject(this.#failure);
  }

  async close(): Promise<void> {
    this.#failure ??= systemError('The encoder threads were closed.');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
