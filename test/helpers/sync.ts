import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Emulator } from '../../src/emulator/index.js';
import { parseStdoutLines } from './airbyte-schema.js';
import { repoRoot, runCli, tempJson, type CliResult, type RunOptions } from './cli.js';

export const writeFixtures = path.join(repoRoot, 'test/fixtures/write');

type Json = Record<string, unknown>;

export interface Fixture {
  config: Json;
  catalog: Json;
  messages: string;
}

export function loadFixture(name: string, dir = writeFixtures): Fixture {
  const read = (suffix: string) => readFileSync(path.join(dir, `${name}.${suffix}`), 'utf8');
  return { config: JSON.parse(read('config.json')), catalog: JSON.parse(read('catalog.json')), messages: read('messages.jsonl') };
}

/** Fast polling so tests do not wait on the defaults meant for real Marketo. */
export const testPolling = { initial_interval_seconds: 0.01, max_interval_seconds: 0.1 };

export function emulatorConfig(emulator: Emulator, config: Json = {}): Json {
  return {
    client_id: 'emulator-client-id',
    client_secret: 'emulator-client-secret',
    ...config,
    base_url: emulator.url,
    polling: { ...testPolling, ...(config.polling as Json | undefined) },
    retry: { initial_backoff_seconds: 0.01, max_backoff_seconds: 0.05, ...(config.retry as Json | undefined) },
  };
}

export interface SyncResult extends CliResult {
  messages: Json[];
  states: Json[];
  logs: { level: string; message: string }[];
  traces: Json[];
}

/** Runs `write` with the built CLI; every stdout line must be a valid Airbyte message. */
export async function runWrite(
  emulator: Emulator,
  fixture: Fixture,
  options: { config?: Json } & RunOptions = {},
): Promise<SyncResult> {
  const config = tempJson(emulatorConfig(emulator, { ...fixture.config, ...options.config }), 'config.json');
  const catalog = tempJson(fixture.catalog, 'catalog.json');
  const result = await runCli(['write', '--config', config, '--catalog', catalog], {
    ...options,
    stdin: options.stdin ?? fixture.messages,
  });
  return withMessages(result);
}

export function withMessages(result: CliResult): SyncResult {
  const messages = parseStdoutLines(result.stdout) as Json[];
  return {
    ...result,
    messages,
    states: messages.filter((m) => m.type === 'STATE').map((m) => m.state as Json),
    logs: messages.filter((m) => m.type === 'LOG').map((m) => m.log as { level: string; message: string }),
    traces: messages.filter((m) => m.type === 'TRACE').map((m) => m.trace as Json),
  };
}

/** The input STATE payloads, with the counts the connector must report for each. */
export function expectedStates(messages: string, rejectedByStateId: Record<number, number> = {}): Json[] {
  const lines = messages.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
  const sinceStream = new Map<string, number>();
  let sinceAll = 0;
  const out: Json[] = [];
  for (const line of lines) {
    if (line.type === 'RECORD') {
      const stream = (line.record as { stream: string }).stream;
      sinceStream.set(stream, (sinceStream.get(stream) ?? 0) + 1);
      sinceAll++;
    } else if (line.type === 'STATE') {
      const state = line.state as Json;
      let received: number;
      if (state.type === 'STREAM') {
        const name = (state.stream as { stream_descriptor: { name: string } }).stream_descriptor.name;
        received = sinceStream.get(name) ?? 0;
        sinceAll -= received;
        sinceStream.set(name, 0);
      } else {
        received = sinceAll;
        sinceAll = 0;
        sinceStream.clear();
      }
      const rejected = rejectedByStateId[state.id as number] ?? 0;
      out.push({ ...state, destinationStats: { recordCount: received - rejected, rejectedRecordCount: rejected } });
    }
  }
  return out;
}

/** Largest number of our (non-foreign) jobs that were Queued or Importing at the same time. */
export function maxJobsInFlight(emulator: Emulator): number {
  let current = 0;
  let max = 0;
  for (const entry of emulator.timeline) {
    if (entry.kind !== 'job' || entry.foreign) continue;
    if (entry.event === 'queued') max = Math.max(max, ++current);
    if (entry.event === 'completed' || entry.event === 'failed') current--;
  }
  return max;
}

export function uploads(emulator: Emulator): { path: string; fileBytes: number }[] {
  return emulator.timeline.flatMap((e) =>
    e.kind === 'request' && e.method === 'POST' && e.fileBytes !== undefined ? [{ path: e.path, fileBytes: e.fileBytes }] : [],
  );
}

export function requestsTo(emulator: Emulator, pattern: RegExp): number {
  return emulator.timeline.filter((e) => e.kind === 'request' && pattern.test(e.path)).length;
}
