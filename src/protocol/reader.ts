/**
 * Turns lines of NDJSON input into typed input messages. This is the hot path (one call per record),
 * so each line costs one JSON.parse plus a few `typeof` checks; the record `data` is never walked.
 */
import { isUtf8 } from 'node:buffer';
import { z } from 'zod';
import { systemError } from './errors.js';
import type { LineChunk } from './line-chunks.js';
import { AirbyteStateMessage, type AirbyteStateEnvelope } from './messages.js';

export type InputMessage =
  | {
      type: 'RECORD';
      line: number;
      stream: string;
      namespace?: string;
      data: Record<string, unknown>;
      emittedAt: number;
      /** Its line held bytes that are not UTF-8, each read as U+FFFD. */
      invalidUtf8?: true;
    }
  | {
      type: 'STATE';
      line: number;
      /** The whole AirbyteMessage as read, to be echoed verbatim (the platform's `id` included). */
      message: AirbyteStateEnvelope;
      /** `message.state`. */
      state: AirbyteStateMessage;
    }
  /** Unknown types, and the TRACE / CONTROL / LOG messages a source may forward. */
  | { type: 'OTHER'; line: number; messageType: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The messages of one chunk of whole lines, in order; blank lines are skipped. A bad line throws a system_error naming
 * it once the messages before it have been yielded.
 */
export function* messagesOf(chunk: LineChunk): Generator<InputMessage> {
  const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
  const text = bytes.toString('utf8');
  // One fast check per chunk; only a chunk that fails it is looked at line by line.
  const invalidLines = isUtf8(bytes) ? undefined : linesNotUtf8(bytes, chunk.firstLine);
  let line = chunk.firstLine;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const message = parseLine(text.slice(start, end), line);
    if (message?.type === 'RECORD' && invalidLines?.has(line)) message.invalidUtf8 = true;
    line++;
    if (message !== undefined) yield message;
    start = end + 1;
  }
}

function linesNotUtf8(bytes: Buffer, firstLine: number): Set<number> {
  const lines = new Set<number>();
  let line = firstLine;
  for (let start = 0; start < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) lines.add(line);
    start = end + 1;
  }
  return lines;
}

/** One input line to a message; `undefined` for a blank line. */
function parseLine(text: string, line: number): InputMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // Blank lines are rare, so they are recognised only once parsing has failed.
    if (text.trim() === '') return undefined;
    throw systemError(`Input line ${line} is not valid JSON.`, {
      cause: error,
      internalMessage: error instanceof Error ? error.message : String(error),
    });
  }
  if (!isObject(value)) throw systemError(`Input line ${line} is not a JSON object.`);

  switch (value.type) {
    case 'RECORD':
      return toRecord(value.record, line);
    case 'STATE':
      return toState(value, line);
    default:
      return { type: 'OTHER', line, messageType: typeof value.type === 'string' ? value.type : String(value.type) };
  }
}

/** States are few, so each is checked in full: one that does not match the protocol could not be echoed. */
function toState(message: JsonObject, line: number): InputMessage {
  if (!isObject(message.state)) throw systemError(`Input line ${line} is a STATE message without a state object.`);
  const parsed = AirbyteStateMessage.safeParse(message.state);
  if (!parsed.success) {
    throw systemError(`Input line ${line} is not a valid STATE message: ${z.prettifyError(parsed.error).replace(/\n\s*/g, ' ')}`);
  }
  const state = parsed.data;
  return { type: 'STATE', line, message: { ...message, type: 'STATE', state }, state };
}

function toRecord(record: unknown, line: number): InputMessage {
  if (!isObject(record)) throw systemError(`Input line ${line} is a RECORD message without a record object.`);
  const { stream, namespace, data, emitted_at: emittedAt } = record;
  if (typeof stream !== 'string') throw systemError(`Input line ${line} is a RECORD without a stream name.`);
  if (!isObject(data)) throw systemError(`Input line ${line} is a RECORD whose data is not a JSON object.`);
  if (typeof emittedAt !== 'number') throw systemError(`Input line ${line} is a RECORD without a numeric emitted_at.`);
  if (typeof namespace === 'string') return { type: 'RECORD', line, stream, namespace, data, emittedAt };
  if (namespace !== undefined && namespace !== null) {
    throw systemError(`Input line ${line} is a RECORD whose namespace is not a string.`);
  }
  return { type: 'RECORD', line, stream, data, emittedAt };
}
