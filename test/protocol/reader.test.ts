import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/protocol/errors.js';
import { readLineChunks, type LineChunk } from '../../src/protocol/line-chunks.js';
import { messagesOf, type InputMessage } from '../../src/protocol/reader.js';

import { repoRoot } from '../helpers/cli.js';
import { hasReference, meltanoDir } from '../helpers/reference.js';

const record = (stream: string, data: unknown = { id: 1 }) =>
  JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: 1700000000000 } });

async function* readMessages(input: NodeJS.ReadableStream): AsyncGenerator<InputMessage> {
  for await (const chunk of readLineChunks(input)) yield* messagesOf(chunk);
}

async function readAll(input: string | Buffer[]): Promise<InputMessage[]> {
  const messages: InputMessage[] = [];
  for await (const message of readMessages(Readable.from(typeof input === 'string' ? [input] : input))) messages.push(message);
  return messages;
}

async function readError(input: string): Promise<ConnectorError> {
  const error = await readAll(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('readLineChunks and messagesOf', () => {
  it('yields records with their stream, namespace, data, emitted_at and 1-based line number', async () => {
    const input = `${record('a')}\n${JSON.stringify({
      type: 'RECORD',
      record: { stream: 'b', namespace: 'ns', data: { x: [1] }, emitted_at: 5 },
    })}\n`;
    expect(await readAll(input)).toEqual([
      { type: 'RECORD', line: 1, stream: 'a', data: { id: 1 }, emittedAt: 1700000000000 },
      { type: 'RECORD', line: 2, stream: 'b', namespace: 'ns', data: { x: [1] }, emittedAt: 5 },
    ]);
  });

  it('treats a null namespace as none', async () => {
    const [message] = await readAll(
      JSON.stringify({ type: 'RECORD', record: { stream: 's', namespace: null, data: {}, emitted_at: 1 } }),
    );
    expect(message).toEqual({ type: 'RECORD', line: 1, stream: 's', data: {}, emittedAt: 1 });
    expect(message).not.toHaveProperty('namespace');
  });

  it('keeps a STATE message verbatim, platform id and unknown fields included', async () => {
    const state = {
      type: 'STATE',
      state: { type: 'STREAM', id: 42, stream: { stream_descriptor: { name: 'a' }, stream_state: { c: 1 } }, sourceStats: { recordCount: 1.0 } },
      envelope_extra: 'kept',
    };
    const [message] = await readAll(`${JSON.stringify(state)}\n`);
    expect(message).toEqual({ type: 'STATE', line: 1, message: state, state: state.state });
    if (message?.type !== 'STATE') throw new Error('expected a STATE');
    expect(message.state).toBe(message.message.state);
  });

  it('skips blank lines but still counts them', async () => {
    const messages = await readAll(`\n${record('a')}\n   \n\r\n\t\n${record('b')}\n\n`);
    expect(messages.map((m) => m.line)).toEqual([2, 6]);
  });

  it('accepts CRLF line endings and a last line without a newline', async () => {
    const messages = await readAll(`${record('a')}\r\n${record('b')}`);
    expect(messages.map((m) => (m.type === 'RECORD' ? m.stream : m.type))).toEqual(['a', 'b']);
  });

  it('yields unknown types and TRACE / CONTROL / LOG from the source as OTHER', async () => {
    const lines = [
      { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'a' }, status: 'COMPLETE' } } },
      { type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: 1, connectorConfig: { config: {} } } },
      { type: 'LOG', log: { level: 'INFO', message: 'hi' } },
      { type: 'SOMETHING_NEW', payload: 1 },
      { no_type: true },
    ];
    expect(await readAll(lines.map((l) => JSON.stringify(l)).join('\n'))).toEqual([
      { type: 'OTHER', line: 1, messageType: 'TRACE' },
      { type: 'OTHER', line: 2, messageType: 'CONTROL' },
      { type: 'OTHER', line: 3, messageType: 'LOG' },
      { type: 'OTHER', line: 4, messageType: 'SOMETHING_NEW' },
      { type: 'OTHER', line: 5, messageType: 'undefined' },
    ]);
  });

  it.each([
    ['not JSON', '{"type":"RECORD",', 'Input line 3 is not valid JSON.'],
    ['a JSON array', '[1,2]', 'Input line 3 is not a JSON object.'],
    ['a JSON string', '"RECORD"', 'Input line 3 is not a JSON object.'],
    ['JSON null', 'null', 'Input line 3 is not a JSON object.'],
    ['a RECORD with array data', record('a', [1]), 'Input line 3 is a RECORD whose data is not a JSON object.'],
    ['a RECORD with null data', record('a', null), 'Input line 3 is a RECORD whose data is not a JSON object.'],
    ['a RECORD with string data', record('a', 'x'), 'Input line 3 is a RECORD whose data is not a JSON object.'],
    ['a RECORD without a record', '{"type":"RECORD"}', 'Input line 3 is a RECORD message without a record object.'],
    ['a RECORD without a stream', '{"type":"RECORD","record":{"data":{},"emitted_at":1}}', 'Input line 3 is a RECORD without a stream name.'],
    ['a RECORD without emitted_at', '{"type":"RECORD","record":{"stream":"a","data":{}}}', 'Input line 3 is a RECORD without a numeric emitted_at.'],
    ['a RECORD with a numeric namespace', '{"type":"RECORD","record":{"stream":"a","namespace":1,"data":{},"emitted_at":1}}', 'Input line 3 is a RECORD whose namespace is not a string.'],
    ['a STATE without a state', '{"type":"STATE","state":[]}', 'Input line 3 is a STATE message without a state object.'],
    ['a STREAM state without its stream', '{"type":"STATE","state":{"type":"STREAM"}}', 'Input line 3 is not a valid STATE message: ✖ Invalid input: expected object, received undefined → at stream'],
    ['a state of an unknown type', '{"type":"STATE","state":{"type":"PER_STREAM","data":{}}}', "Input line 3 is not a valid STATE message: ✖ Invalid discriminator value. Expected 'STREAM' | 'GLOBAL' | 'LEGACY' | 'undefined' → at type"],
  ])('fails with a system_error naming the line on %s', async (_, bad, expected) => {
    const error = await readError(`${record('a')}\n\n${bad}\n${record('b')}\n`);
    expect(error.failureType).toBe('system_error');
    expect(error.message).toBe(expected);
  });

  it('yields everything before a bad line', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const message of readMessages(Readable.from([`${record('a')}\n${record('b')}\nnope\n`]))) seen.push(message.line);
    }).rejects.toThrow('Input line 3 is not valid JSON.');
    expect(seen).toEqual([1, 2]);
  });

  it('joins lines split across chunks, multi-byte characters included', async () => {
    const text = `${record('a', { name: 'Zoë 😀 日本' })}\n${record('b')}\n`;
    const bytes = Buffer.from(text, 'utf8');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)); // one byte per chunk
    const messages = await readAll(chunks);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ data: { name: 'Zoë 😀 日本' } });
    expect(messages[1]).toMatchObject({ stream: 'b', line: 2 });
  });

  it('skips a UTF-8 BOM at the start of the input, even when it arrives byte by byte', async () => {
    const text = `\uFEFF${record('a')}\n${record('b')}\n`;
    expect((await readAll(text)).map((m) => m.line)).toEqual([1, 2]);
    const bytes = Buffer.from(text, 'utf8');
    const messages = await readAll(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)));
    expect(messages).toMatchObject([{ stream: 'a', line: 1 }, { stream: 'b', line: 2 }]);
    expect(await readAll([Buffer.from('\uFEFF')])).toEqual([]);
  });

  it('keeps bytes that only begin like a BOM, and a BOM later in the input', async () => {
    const chunks: LineChunk[] = [];
    for await (const chunk of readLineChunks(Readable.from([Buffer.from([0xef, 0xbb])]))) chunks.push(chunk);
    expect(chunks.map((c) => [...c.bytes])).toEqual([[0xef, 0xbb]]);
    await expect(readAll(`${record('a')}\n\uFEFF${record('b')}\n`)).rejects.toThrow('Input line 2 is not valid JSON.');
  });

  it('reads the own multiple-states fixture in order', async () => {
    const messages = await readAll(readFileSync(path.join(repoRoot, 'test/fixtures/edge-cases/multiple-states.messages.jsonl'), 'utf8'));
    expect(messages.map((m) => (m.type === 'STATE' ? `S${String(m.state.id)}` : m.type === 'RECORD' ? m.stream : m.type))).toEqual(
      ['S1', 'alpha', 'S2', 'beta', 'alpha', 'S3', 'S4', 'S5', 'beta', 'beta', 'S6', 'alpha', 'S7', 'S8'],
    );
    expect(messages.map((m) => m.line)).toEqual(messages.map((_, i) => i + 1));
  });

  it.skipIf(!hasReference)('reads the Meltano multiple_state_messages stream in order', async () => {
    const text = readFileSync(path.join(meltanoDir, 'multiple_state_messages.messages.jsonl'), 'utf8');
    const messages = await readAll(text);
    expect(messages).toHaveLength(text.trim().split('\n').length);
    expect(messages.filter((m) => m.type === 'STATE')).toHaveLength(text.match(/"type":"STATE"/g)?.length ?? -1);
    expect(messages.map((m) => m.line)).toEqual(messages.map((_, i) => i + 1));
  });

  it('reads no further than the consumer asks (back-pressure comes from the consumer)', async () => {
    let produced = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield `${record('a')}\n`;
        }
      })(),
      { highWaterMark: 1 },
    );
    const messages = readMessages(source);
    for (let i = 0; i < 5; i++) await messages.next();
    // Only the stream's small read-ahead buffer is pulled beyond what was consumed.
    expect(produced).toBeLessThan(20);
    await messages.return(undefined);
    expect(source.destroyed).toBe(true);
  });
});

describe('readLineChunks', () => {
  const record = (stream: string) => JSON.stringify({ type: 'RECORD', record: { stream, data: {}, emitted_at: 1 } });
  const chunksOf = async (reads: (string | Buffer)[]): Promise<{ text: string; firstLine: number }[]> => {
    const chunks: LineChunk[] = [];
    for await (const chunk of readLineChunks(Readable.from(reads))) chunks.push(chunk);
    return chunks.map(({ bytes, firstLine }) => ({ text: Buffer.from(bytes).toString('utf8'), firstLine }));
  };

  it('cuts each read after its last newline, carrying the rest into the next chunk, and numbers first lines', async () => {
    const [a, b, c] = [record('a'), record('b'), record('c')];
    expect(await chunksOf([`${a}\n${b}\n${c.slice(0, 10)}`, `${c.slice(10)}\n`, '\n', 'tail'])).toEqual([
      { text: `${a}\n${b}\n`, firstLine: 1 },
      { text: `${c}\n`, firstLine: 3 },
      { text: '\n', firstLine: 4 },
      { text: 'tail', firstLine: 5 },
    ]);
  });

  it('joins a line spread over many reads once, and never cuts inside a multi-byte character', async () => {
    const text = `${JSON.stringify({ name: 'Zoë 😀 日本' })}\n`;
    const bytes = Buffer.from(text);
    const chunks = await chunksOf(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)));
    expect(chunks).toEqual([{ text, firstLine: 1 }]);
  });

  it('hands on the messages before a bad line, then fails naming it', async () => {
    const seen: number[] = [];
    const source = Readable.from([`${record('a')}\n${record('b')}\nnope\n${record('d')}\n`]);
    const reading = (async () => {
      for await (const message of readMessages(source)) seen.push(message.line);
    })();
    await expect(reading).rejects.toThrow('Input line 3 is not valid JSON.');
    expect(seen).toEqual([1, 2]);
  });
});
