/**
 * Turns NDJSON on stdin into typed input messages. This is the hot path (one call per record),
 * so each line costs one JSON.parse plus a few `typeof` checks; the record `data` is never
 * walked. It is a pull-based generator: nothing more is read until the consumer asks, which is
 * what gives the pipeline its back-pressure.
 */
import { systemError } from './errors.js';
import { LineSplitter } from './line-splitter.js';

export type InputMessage =
  | { type: 'RECORD'; line: number; stream: string; namespace?: string; data: Record<string, unknown>; emittedAt: number }
  | {
      type: 'STATE';
      line: number;
      /** The whole AirbyteMessage as read, to be echoed verbatim (the platform's `id` included). */
      message: Record<string, unknown>;
      /** `message.state`, the same object. */
      state: Record<string, unknown>;
    }
  /** Unknown types, and the TRACE / CONTROL / LOG messages a source may forward. */
  | { type: 'OTHER'; line: number; messageType: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function* readMessages(input: NodeJS.ReadableStream): AsyncGenerator<InputMessage> {
  for await (const batch of readMessageBatches(input)) yield* batch;
}

/** The messages of each chunk of input together: one promise per chunk rather than one per message. */
export async function* readMessageBatches(input: NodeJS.ReadableStream): AsyncGenerator<InputMessage[]> {
  const lines = new LineSplitter();
  let line = 0;
  for await (const chunk of input) {
    const batch: InputMessage[] = [];
    try {
      for (const text of lines.push(chunk)) {
        line++;
        const message = parseLine(text, line);
        if (message !== undefined) batch.push(message);
      }
    } catch (error) {
      // The messages before a bad line are handed on first, as they would be one by one.
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (batch.length > 0) yield batch;
  }
  const last = lines.end();
  if (last !== undefined) {
    const message = parseLine(last, line + 1);
    if (message !== undefined) yield [message];
  }
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
      if (!isObject(value.state)) throw systemError(`Input line ${line} is a STATE message without a state object.`);
      return { type: 'STATE', line, message: value, state: value.state };
    default:
      return { type: 'OTHER', line, messageType: typeof value.type === 'string' ? value.type : String(value.type) };
  }
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
