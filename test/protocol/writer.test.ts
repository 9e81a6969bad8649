import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configError, transientError } from '../../src/protocol/errors.js';
import { Redactor } from '../../src/protocol/redact.js';
import { redactingStream } from '../../src/protocol/redacting-stream.js';
import { MessageWriter } from '../../src/protocol/writer.js';
import { parseStdoutLines } from '../helpers/airbyte-schema.js';

function capture() {
  const out = new PassThrough();
  let text = '';
  out.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return { out, text: () => text };
}

/** A Writable that accepts one chunk at a time and completes it only when told to. */
function slowWritable(highWaterMark: number) {
  const chunks: string[] = [];
  const pending: Array<() => void> = [];
  const stream = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      pending.push(() => callback());
    },
  });
  const completeOne = () => pending.shift()?.();
  return { stream, chunks, completeOne, pendingCount: () => pending.length };
}

describe('MessageWriter', () => {
  it('writes one JSON message per line, newlines inside values escaped', async () => {
    const { out, text } = capture();
    const writer = new MessageWriter(out, new Redactor());
    writer.log('INFO', 'first line\nsecond line');
    void writer.emit({ type: 'STATE', state: { type: 'LEGACY', data: { cursor: 1 }, id: 9 } });
    await writer.flush();
    const messages = parseStdoutLines(text());
    expect(messages).toEqual([
      { type: 'LOG', log: { level: 'INFO', message: 'first line\nsecond line' } },
      { type: 'STATE', state: { type: 'LEGACY', data: { cursor: 1 }, id: 9 } },
    ]);
    expect(text().split('\n')).toHaveLength(3);
  });

  it('drops DEBUG and TRACE logs unless debug is on', async () => {
    const quiet = capture();
    const quietWriter = new MessageWriter(quiet.out, new Redactor());
    quietWriter.log('DEBUG', 'hidden');
    quietWriter.log('TRACE', 'hidden');
    quietWriter.log('WARN', 'shown');
    const loud = capture();
    const loudWriter = new MessageWriter(loud.out, new Redactor(), { debug: true });
    loudWriter.log('DEBUG', 'shown', 'at somewhere');
    await Promise.all([quietWriter.flush(), loudWriter.flush()]);
    expect(parseStdoutLines(quiet.text())).toEqual([{ type: 'LOG', log: { level: 'WARN', message: 'shown' } }]);
    expect(parseStdoutLines(loud.text())).toEqual([
      { type: 'LOG', log: { level: 'DEBUG', message: 'shown', stack_trace: 'at somewhere' } },
    ]);
  });

  it('returns a promise under back-pressure that resolves on drain, and flush waits for every write', async () => {
    const slow = slowWritable(64);
    const writer = new MessageWriter(slow.stream, new Redactor());
    expect(writer.emit({ type: 'LOG', log: { level: 'INFO', message: 'short' } })).toBeUndefined();
    const waiting = writer.emit({ type: 'LOG', log: { level: 'INFO', message: 'x'.repeat(100) } });
    expect(waiting).toBeInstanceOf(Promise);

    let drained = false;
    let flushed = false;
    void waiting?.then(() => (drained = true));
    void writer.flush().then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect([drained, flushed]).toEqual([false, false]);

    while (slow.pendingCount() > 0) {
      slow.completeOne();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect([drained, flushed]).toEqual([true, true]);
    expect(parseStdoutLines(slow.chunks.join(''))).toHaveLength(2);
  });

  it('flush resolves at once when nothing is pending', async () => {
    const writer = new MessageWriter(new PassThrough(), new Redactor());
    await expect(writer.flush()).resolves.toBeUndefined();
  });

  it('survives a stdout that fails (EPIPE): later emits are dropped and flush resolves', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = new MessageWriter(broken, new Redactor());
    writer.log('INFO', 'lost');
    await writer.flush();
    expect(writer.emit({ type: 'LOG', log: { level: 'INFO', message: 'also lost' } })).toBeUndefined();
  });

  it('stops waiting for drain when stdout fails instead', async () => {
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined }); // never completes a write
    const writer = new MessageWriter(stuck, new Redactor());
    const waiting = writer.emit({ type: 'LOG', log: { level: 'INFO', message: 'm' } });
    expect(waiting).toBeInstanceOf(Promise);
    stuck.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await waiting;
    await writer.flush();
  });

  it('redacts secrets given up front and added later, in every message, JSON-escaped forms included', async () => {
    const { out, text } = capture();
    const redactor = new Redactor();
    redactor.add('client-secret-1');
    redactor.add('quote"d\\secret');
    const writer = new MessageWriter(out, redactor);
    writer.log('INFO', 'using client-secret-1 and quote"d\\secret');
    redactor.add('access-token-abc'); // learnt at run time
    writer.traceError(new Error('401 for token access-token-abc'));
    void writer.emit({ type: 'STATE', state: { data: { echo: 'access-token-abc' } } });
    await writer.flush();
    expect(text()).not.toMatch(/client-secret-1|quote|access-token-abc/);
    const [log, trace, state] = parseStdoutLines(text());
    expect(log).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'using ********** and **********' } });
    expect(trace).toMatchObject({ trace: { error: { message: 'Something went wrong in the connector: 401 for token **********' } } });
    expect(state).toEqual({ type: 'STATE', state: { data: { echo: '**********' } } });
  });
});

describe('MessageWriter.traceError', () => {
  async function traceOf(error: unknown, failureType?: Parameters<MessageWriter['traceError']>[1]) {
    const { out, text } = capture();
    const writer = new MessageWriter(out, new Redactor());
    const before = Date.now();
    writer.traceError(error, failureType);
    await writer.flush();
    const [message] = parseStdoutLines(text());
    if (message?.type !== 'TRACE' || message.trace.type !== 'ERROR') throw new Error('expected a TRACE ERROR');
    expect(message.trace.emitted_at).toBeGreaterThanOrEqual(before);
    return message.trace.error;
  }

  it('shows a ConnectorError message to the user and keeps the details internal', async () => {
    const cause = new Error('HTTP 403 from identity');
    const error = await traceOf(
      configError('The client id or secret is wrong.', { cause, streamDescriptor: { name: 'leads', namespace: 'crm' } }),
    );
    expect(error).toMatchObject({
      message: 'The client id or secret is wrong.',
      internal_message: 'HTTP 403 from identity',
      failure_type: 'config_error',
      stream_descriptor: { name: 'leads', namespace: 'crm' },
    });
    expect(error.stack_trace).toContain('ConnectorError: The client id or secret is wrong.');
    expect(error.stack_trace).toContain('Caused by: Error: HTTP 403 from identity');
  });

  it('prefers the explicit internal message, and an explicit failure type', async () => {
    const error = await traceOf(transientError('Marketo is busy.', { internalMessage: 'code 615' }), 'system_error');
    expect(error).toMatchObject({ message: 'Marketo is busy.', internal_message: 'code 615', failure_type: 'system_error' });
  });

  it('reports anything else as a system_error that says something went wrong', async () => {
    expect(await traceOf(new TypeError('x is undefined'))).toMatchObject({
      message: 'Something went wrong in the connector: x is undefined',
      internal_message: 'x is undefined',
      failure_type: 'system_error',
    });
    const thrown = await traceOf({ weird: 'value' });
    expect(thrown.message).toBe("Something went wrong in the connector: { weird: 'value' }");
    expect(thrown).not.toHaveProperty('stack_trace');
  });
});

describe('redactingStream', () => {
  it('scrubs secrets from what is written to stderr and leaves the target open when ended', async () => {
    const target = capture();
    const redactor = new Redactor();
    redactor.add('hunter22');
    const stderr = redactingStream(target.out, redactor);
    stderr.write('password=hunter22\n');
    await new Promise<void>((resolve) => stderr.end(resolve));
    expect(target.text()).toBe('password=**********\n');
    expect(target.out.writableEnded).toBe(false);
  });
});
