import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Destination, RunContext } from '../../src/protocol/destination.js';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { runDestination } from '../../src/protocol/runner.js';
import { parseStdoutLines } from '../helpers/airbyte-schema.js';
import { fakeDestination, onlyErrorTrace, runInProcess, tempFile, validCatalog, validConfig } from '../helpers/protocol-harness.js';

const writeArgs = () => ['write', '--config', tempFile(validConfig), '--catalog', tempFile(validCatalog)];
const committedState: AirbyteMessage = { type: 'STATE', state: { type: 'LEGACY', data: { committed: true }, id: 5 } };

/** A write() that waits for the abort signal, then does `onAbort`. `started` resolves once it runs. */
function waitingDestination(onAbort: (ctx: RunContext) => Promise<void> | void) {
  let markStarted!: (ctx: RunContext) => void;
  const started = new Promise<RunContext>((resolve) => (markStarted = resolve));
  const destination: Destination = fakeDestination({
    write: async (_config, _catalog, _input, ctx) => {
      markStarted(ctx);
      if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      await onAbort(ctx);
    },
  });
  return { destination, started };
}

const neverStops = () => new Promise<void>(() => undefined);

describe('signals during write', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ])('%s aborts the write, which echoes what is committed; the runner exits %i', async (signal, code) => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(async (ctx) => {
      await ctx.out.emit(committedState);
    });
    const running = runInProcess(destination, writeArgs(), { events });
    const ctx = await started;
    events.emit(signal);
    const run = await running;
    expect(run.code).toBe(code);
    expect(ctx.signal.aborted).toBe(true);
    expect(run.messages).toEqual([
      committedState,
      { type: 'LOG', log: { level: 'INFO', message: `Received ${signal}: write stopped.` } },
    ]);
    expect(events.listenerCount(signal)).toBe(0);
  });

  it('listens on the real process by default (process.emit)', async () => {
    const { destination, started } = waitingDestination(() => undefined);
    const stdout = new PassThrough();
    const running = runDestination(destination, writeArgs(), { stdin: new PassThrough(), stdout, stderr: new PassThrough() });
    await started;
    process.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(143);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('does not report the abort itself as an error', async () => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination((ctx) => {
      throw ctx.signal.reason;
    });
    const running = runInProcess(destination, writeArgs(), { events });
    await started;
    events.emit('SIGTERM');
    const run = await running;
    expect(run.code).toBe(143);
    expect(run.messages.filter((m) => m.type === 'TRACE')).toEqual([]);
  });

  it('reports another error raised while stopping, and still exits with the signal code', async () => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(() => {
      throw new Error('flush failed');
    });
    const running = runInProcess(destination, writeArgs(), { events });
    await started;
    events.emit('SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(onlyErrorTrace(run.messages).message).toBe('Something went wrong in the connector: flush failed');
  });

  it('gives up on a write that ignores the signal once the grace period is over', async () => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(neverStops);
    const running = runInProcess(destination, writeArgs(), { events, shutdownGraceMs: 20 });
    await started;
    events.emit('SIGTERM');
    const run = await running;
    expect(run.code).toBe(143);
    expect(run.messages).toEqual([
      { type: 'LOG', log: { level: 'WARN', message: 'Received SIGTERM: write did not stop in time; exiting anyway.' } },
    ]);
  });

  it('stops waiting at a second signal', async () => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(neverStops);
    const running = runInProcess(destination, writeArgs(), { events, shutdownGraceMs: 3_600_000 });
    await started;
    events.emit('SIGINT');
    events.emit('SIGINT');
    expect((await running).code).toBe(130);
  });

  it('does not wait forever for a stdout nobody reads after a signal', async () => {
    const events = new EventEmitter();
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined }); // never completes a write
    const { destination, started } = waitingDestination((ctx) => {
      ctx.out.log('INFO', 'winding down');
    });
    const running = runDestination(destination, writeArgs(), {
      stdin: new PassThrough(),
      stdout: stuck,
      stderr: new PassThrough(),
      events,
      shutdownGraceMs: 20,
    });
    await started;
    events.emit('SIGTERM');
    expect(await running).toBe(143);
  });
});

describe('stopping whatever the input and output do', () => {
  it('a signal ends the input even while stdin is open and idle, so write returns at once', async () => {
    const events = new EventEmitter();
    const stdin = new PassThrough();
    stdin.write(`${JSON.stringify(committedState)}\n`);
    let read = 0;
    let markRead!: () => void;
    const firstChunk = new Promise<void>((resolve) => (markRead = resolve));
    const destination = fakeDestination({
      write: async (_config, _catalog, input) => {
        for await (const chunk of input) {
          read += chunk.bytes.length;
          markRead();
        }
      },
    });
    // A grace period of an hour: only the input ending can make the run return.
    const running = runInProcess(destination, writeArgs(), { events, stdin, shutdownGraceMs: 3_600_000 });
    await firstChunk;
    events.emit('SIGTERM');
    const run = await running;
    expect(run.code).toBe(143);
    expect(read).toBeGreaterThan(0);
    expect(run.messages).toEqual([{ type: 'LOG', log: { level: 'INFO', message: 'Received SIGTERM: write stopped.' } }]);
  });

  it('a closed stdout (EPIPE) aborts the write and exits 1, saying why on stderr', async () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const closed = new Writable({ write: (_chunk, _encoding, callback) => callback(epipe) });
    const stderr = new PassThrough();
    let err = '';
    stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const { destination, started } = waitingDestination(() => undefined);
    const running = runDestination(destination, writeArgs(), { stdin: new PassThrough(), stdout: closed, stderr, events: new EventEmitter() });
    const ctx = await started;
    void ctx.out.emit(committedState);
    expect(await running).toBe(1);
    expect(ctx.signal.aborted).toBe(true);
    expect(err).toContain('stdout was closed (EPIPE) during write');
  });
});

describe('uncaught errors', () => {
  it.each(['uncaughtException', 'unhandledRejection'])('%s ends the run with a TRACE system_error and exit 1', async (event) => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(neverStops);
    const running = runInProcess(destination, writeArgs(), { events });
    const ctx = await started;
    events.emit(event, new Error('timer callback exploded'));
    const run = await running;
    expect(run.code).toBe(1);
    expect(ctx.signal.aborted).toBe(true);
    expect(onlyErrorTrace(run.messages)).toMatchObject({
      failure_type: 'system_error',
      message: 'Something went wrong in the connector: timer callback exploded',
    });
    expect(events.listenerCount(event)).toBe(0);
  });

  it('reports a command left pending when the event loop runs dry (beforeExit) instead of exiting 0', async () => {
    const events = new EventEmitter();
    const { destination, started } = waitingDestination(neverStops);
    const running = runInProcess(destination, writeArgs(), { events });
    await started;
    events.emit('beforeExit', 0);
    const run = await running;
    expect(run.code).toBe(1);
    expect(onlyErrorTrace(run.messages)).toMatchObject({
      failure_type: 'system_error',
      message: 'The connector stopped before finishing: it was waiting for something that can never happen.',
    });
  });

  it('are caught during check too', async () => {
    const events = new EventEmitter();
    const destination = fakeDestination({
      check: () => {
        queueMicrotask(() => events.emit('uncaughtException', new Error('late failure')));
        return new Promise(() => undefined);
      },
    });
    const run = await runInProcess(destination, ['check', '--config', tempFile(validConfig)], { events });
    expect(run.code).toBe(1);
    expect(parseStdoutLines(run.stdout).map((m) => m.type)).toEqual(['TRACE']);
  });
});
