import type { EmptyCells } from './import/rules.js';
import type { EmulatorSeed } from './seed/types.js';

export interface Clock {
  now(): number;
}

export interface EmulatorOptions {
  host?: string; // default '127.0.0.1'
  port?: number; // default 0 (ephemeral)
  clientId?: string; // default 'emulator-client-id'
  clientSecret?: string; // default 'emulator-client-secret'
  tokenLifetimeSeconds?: number; // default 3600
  rowsPerSecond?: number; // per Importing job; default Infinity = instant
  jobLatencyMs?: number; // fixed extra time per job; default 0
  maxImporting?: number; // default 2
  maxQueued?: number; // Queued+Importing instance-wide, default 10
  rateLimit?: { calls: number; windowSeconds: number } | false; // default {calls:100, windowSeconds:20} -> 606
  concurrencyLimit?: number | false; // default 10 -> 615
  dailyQuota?: number | false; // default false -> 607 when exceeded
  seed?: Partial<EmulatorSeed>; // lead fields, custom objects, programs; sensible defaults built in
  clock?: Clock; // injectable for tests; default Date.now
  /** Code for an API call without an Authorization header; Marketo documents both. Default '603'. */
  missingTokenCode?: '601' | '603';
  /** Empty cells clear the stored value ('clear', default) or leave it alone ('keep'). */
  emptyCells?: EmptyCells;
  /**
   * Complete jobs apply no rows to the store (default false). Files are still parsed and checked, so counters,
   * failures and warnings are as usual, except for rows only the store would refuse. For benchmarks, where the
   * store's work would make the emulator slower than the client it measures.
   */
  discardRows?: boolean;
  /**
   * Failures and warnings files leave out the columns that are empty in every row they list ('drop-empty', default,
   * as a published capture shows), or keep the whole header ('all').
   */
  reportColumns?: ReportColumns;
  /**
   * Success envelopes of the lead database and bulk APIs carry only requestId, success and result ('docs', default,
   * as every DOCS example and capture), or also the `errors` and `warnings` the Swagger requires, with every counter
   * (and `operation`) in create answers ('swagger').
   */
  envelope?: Envelope;
  /**
   * The create call answers `Queued` ('queued', default, as the DOCS examples), or the job's status right after it
   * was queued ('live'): `Importing` when an import slot was free.
   */
  createStatus?: CreateStatus;
  /** Accepts an access token in the multipart form field `access_token`, as Marketo did until its announced removal (default false). */
  acceptFormToken?: boolean;
}

export type ReportColumns = 'drop-empty' | 'all';
export type Envelope = 'docs' | 'swagger';
export type CreateStatus = 'queued' | 'live';

/** The options that `configure` may change while the emulator runs. */
export type RuntimeOptions = Pick<
  Required<EmulatorOptions>,
  | 'tokenLifetimeSeconds'
  | 'rowsPerSecond'
  | 'jobLatencyMs'
  | 'maxImporting'
  | 'maxQueued'
  | 'rateLimit'
  | 'concurrencyLimit'
  | 'dailyQuota'
  | 'missingTokenCode'
  | 'emptyCells'
  | 'reportColumns'
  | 'envelope'
  | 'createStatus'
  | 'acceptFormToken'
>;

const RUNTIME_KEYS = new Set<string>([
  'tokenLifetimeSeconds',
  'rowsPerSecond',
  'jobLatencyMs',
  'maxImporting',
  'maxQueued',
  'rateLimit',
  'concurrencyLimit',
  'dailyQuota',
  'missingTokenCode',
  'emptyCells',
  'reportColumns',
  'envelope',
  'createStatus',
  'acceptFormToken',
]);

const defaultRuntimeOptions: RuntimeOptions = {
  tokenLifetimeSeconds: 3600,
  rowsPerSecond: Infinity,
  jobLatencyMs: 0,
  maxImporting: 2,
  maxQueued: 10,
  rateLimit: { calls: 100, windowSeconds: 20 },
  concurrencyLimit: 10,
  dailyQuota: false,
  missingTokenCode: '603',
  emptyCells: 'clear',
  reportColumns: 'drop-empty',
  envelope: 'docs',
  createStatus: 'queued',
  acceptFormToken: false,
};

/** Runtime options after defaults, checked; the object is shared and mutated by `configure`. */
export function resolveRuntimeOptions(options: EmulatorOptions): RuntimeOptions {
  const resolved = { ...defaultRuntimeOptions };
  applyRuntimePatch(resolved, pickRuntime(options));
  return resolved;
}

function pickRuntime(options: EmulatorOptions): Partial<RuntimeOptions> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => RUNTIME_KEYS.has(key)));
}

export function applyRuntimePatch(target: RuntimeOptions, patch: Partial<EmulatorOptions>): void {
  const fixed = Object.keys(patch).filter((key) => !RUNTIME_KEYS.has(key));
  if (fixed.length > 0) throw new Error(`Cannot change ${fixed.join(', ')} while the emulator runs`);
  const next = { ...target, ...(patch as Partial<RuntimeOptions>) };
  positive('tokenLifetimeSeconds', next.tokenLifetimeSeconds);
  positive('rowsPerSecond', next.rowsPerSecond);
  positive('maxImporting', next.maxImporting);
  positive('maxQueued', next.maxQueued);
  if (!(next.jobLatencyMs >= 0)) throw new RangeError('jobLatencyMs must be >= 0');
  if (next.rateLimit) {
    positive('rateLimit.calls', next.rateLimit.calls);
    positive('rateLimit.windowSeconds', next.rateLimit.windowSeconds);
  }
  if (next.concurrencyLimit !== false) positive('concurrencyLimit', next.concurrencyLimit);
  if (next.dailyQuota !== false && !(next.dailyQuota >= 0)) throw new RangeError('dailyQuota must be >= 0');
  Object.assign(target, next);
}

function positive(name: string, value: number): void {
  if (!(value > 0)) throw new RangeError(`${name} must be > 0`);
}
