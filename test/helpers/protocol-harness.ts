/** Runs the protocol runner in-process with fake destinations and in-memory stdio. */
import { EventEmitter } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Destination } from '../../src/protocol/destination.js';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { messagesOf } from '../../src/protocol/reader.js';
import { runDestination } from '../../src/protocol/runner.js';
import { parseStdoutLines } from './airbyte-schema.js';
import { testTempDir } from './temp-dir.js';

export const SECRET = 'sUp3r-s3cret/value';

/** A spec with one plain and one secret field. */
export const testSpec = {
  documentationUrl: 'https://example.com/docs',
  connectionSpecification: {
    type: 'object',
    required: ['client_id', 'client_secret'],
    properties: {
      client_id: { type: 'string' },
      client_secret: { type: 'string', airbyte_secret: true },
    },
  },
  supported_destination_sync_modes: ['append'],
};

export const validConfig = { client_id: 'the-client', client_secret: SECRET };

export const validCatalog = {
  streams: [
    {
      stream: { name: 'leads', json_schema: { type: 'object' }, supported_sync_modes: ['full_refresh'] },
      sync_mode: 'full_refresh',
      destination_sync_mode: 'append',
    },
  ],
};

export function fakeDestination(overrides: Partial<Destination> = {}): Destination {
  return {
    spec: () => testSpec,
    check: async () => ({ status: 'SUCCEEDED' }),
    write: async (_config, _catalog, input) => {
      for await (const chunk of input) for (const message of messagesOf(chunk)) void message;
    },
    ...overrides,
  };
}

/** Writes `content` (JSON unless a string) to a fresh temporary file; returns its path. */
export function tempFile(content: unknown, name = 'file.json'): string {
  const file = path.join(testTempDir('protocol-test-'), name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed and validated with the zod AirbyteMessage schema. */
  messages: AirbyteMessage[];
}

export interface InProcessOptions {
  stdin?: string | Readable;
  events?: EventEmitter;
  shutdownGraceMs?: number;
}

export async function runInProcess(
  destination: Destination,
  argv: string[],
  options: InProcessOptions = {},
): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const stdin = typeof options.stdin === 'string' || options.stdin === undefined ? Readable.from([options.stdin ?? '']) : options.stdin;
  const code = await runDestination(destination, argv, {
    stdin,
    stdout,
    stderr,
    events: options.events ?? new EventEmitter(),
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }),
  });
  return {
    code,
    stdout: out,
    stderr: err,
    // Parsed when asked for: `--help` prints usage, not messages.
    get messages() {
      return parseStdoutLines(out);
    },
  };
}

/** The single TRACE ERROR payload in `messages`, failing if there is not exactly one. */
export function onlyErrorTrace(messages: AirbyteMessage[]) {
  const errors = messages.flatMap((m) => (m.type === 'TRACE' && m.trace.type === 'ERROR' ? [m.trace.error] : []));
  if (errors.length !== 1) throw new Error(`expected one TRACE ERROR, got ${errors.length}: ${JSON.stringify(messages)}`);
  return errors[0]!;
}
