import type { ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type { Emulator, RequestEntry } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, expectedStates, withMessages, type SyncResult } from '../helpers/sync.js';
import { Dataset } from './dataset.js';

type Json = Record<string, unknown>;

/** A sync whose every echoed STATE was checked against the store at the moment its line arrived. */
export interface CheckedSync extends SyncResult {
  /** Records a state claimed but Marketo did not hold when the state was printed; must stay empty. */
  earlyStates: string[];
}

export interface SyncOptions {
  config?: Json;
  stdin?: string;
  /** Extra command-line arguments, e.g. --debug. */
  args?: string[];
  /** Called for every parsed stdout message after the state check; may inject faults or signal the child. */
  onMessage?: (message: Json, child: ChildProcess) => void;
}

/**
 * Runs the built connector on the dataset. Retries are fast (10–50 ms backoff), polling is fast, and the client
 * limiter allows Marketo's hard rate limit so that tests never wait out a 20 s window of their own making.
 */
export async function syncDataset(emulator: Emulator, dataset: Dataset, options: SyncOptions = {}): Promise<CheckedSync> {
  const earlyStates: string[] = [];
  const config = options.config ?? {};
  const { fixture } = dataset;
  const configFile = tempJson(
    emulatorConfig(emulator, {
      ...fixture.config,
      ...config,
      batching: { max_file_bytes: 1024, ...(config.batching as Json | undefined) },
      rate_limit: { calls_per_20_seconds: 100, ...(config.rate_limit as Json | undefined) },
      retry: { max_attempts: 8, request_timeout_seconds: 5, ...(config.retry as Json | undefined) },
    }),
    'config.json',
  );
  const catalogFile = tempJson(fixture.catalog, 'catalog.json');
  const cli = await runCli(['write', '--config', configFile, '--catalog', catalogFile, ...(options.args ?? [])], {
    stdin: options.stdin ?? fixture.messages,
    onLine: (line, child) => {
      const message = JSON.parse(line) as Json;
      if (message.type === 'STATE') earlyStates.push(...dataset.committedProblems(emulator, (message.state as Json).id as number));
      options.onMessage?.(message, child);
    },
  });
  const result = withMessages(cli);
  return { ...result, earlyStates };
}

/** The sync went through: exit 0, no TRACE, every state in order with exact counts, and the store exact. */
export function expectCompleteSync(result: CheckedSync, dataset: Dataset, emulator: Emulator): void {
  expect(result.traces, result.stderr).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.states).toEqual(expectedStates(dataset.text()));
  expect(result.earlyStates).toEqual([]);
  dataset.expectFinalStore(emulator);
}

/**
 * The sync stopped with one TRACE error as its last message: exit 1, the states before it are the first states of
 * the input with their exact counts, and none of them was printed before its data was in Marketo.
 */
export function expectStopped(result: CheckedSync, dataset: Dataset, failureType: string): { message: string; internal: string } {
  expect(result.code).toBe(1);
  expect(result.traces).toHaveLength(1);
  expect(result.messages.at(-1)?.type).toBe('TRACE');
  const error = (result.traces[0] as { error: { failure_type: string; message: string; internal_message?: string } }).error;
  expect(error.failure_type, error.message).toBe(failureType);
  expect(result.states).toEqual(expectedStates(dataset.text()).slice(0, result.states.length));
  expect(result.earlyStates).toEqual([]);
  return { message: error.message, internal: error.internal_message ?? '' };
}

export function requests(emulator: Emulator): RequestEntry[] {
  return emulator.timeline.filter((e): e is RequestEntry => e.kind === 'request');
}

/** Requests a scripted fault answered (or, for 'slow' and reset-after-handling, disturbed). */
export function faulted(emulator: Emulator): RequestEntry[] {
  return requests(emulator).filter((e) => e.fault !== undefined);
}

/** 70 records in 1 KB files: about a dozen jobs across the three objects; the taxonomy tests' input. */
export const taxonomyDataset = (): Dataset => new Dataset({ contacts: 40, cars: 20, attendees: 10, stateEvery: 10, updates: 5 });
export const BULK = /^\/bulk\//;

export const CREATE_PATH = /^\/bulk\/v1\/(leads|customobjects\/[^/]+\/import|program\/\d+\/members\/import)\.json$/;
export const isCreate = (e: RequestEntry): boolean => e.method === 'POST' && CREATE_PATH.test(e.path);

export function warnings(result: SyncResult): string[] {
  return result.logs.filter((l) => l.level === 'WARN').map((l) => l.message);
}
