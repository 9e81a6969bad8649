import type { FaultRule } from './faults.js';
import type { FailJobSpec } from './jobs/engine.js';
import { applyRuntimePatch } from './options.js';
import type { Services } from './services.js';

/** Scripted misbehaviour, for tests (in process) and the demo (over HTTP under /_emulator/faults). */
export interface FaultControls {
  /** The next `times` (default 1) matching API requests get the fault. */
  inject(rule: FaultRule): { id: number; cancel(): void };
  /** Forces a job to end Failed with `message`: the next one (once or always) or a given batchId. */
  failJob(spec: FailJobSpec): void;
  /** Queues jobs of "another integration"; held until released unless given a duration. Returns their batchIds. */
  queueForeignJobs(count: number, durationMs?: number): number[];
  releaseForeignJobs(): void;
  /** Every issued token expires now: next use gives 602, later uses 601. */
  expireTokens(): void;
  /** Sets the daily quota (false = none) and, optionally, how many calls were already made today. */
  setDailyQuota(limit: number | false, used?: number): void;
  /** Removes pending faults and job failure rules (foreign jobs stay). */
  clear(): void;
}

export function faultControls(services: Services): FaultControls {
  const { faults, engine, tokens, limits, options } = services;
  return {
    inject: (rule) => faults.inject(rule),
    failJob: (spec) => engine.failJob(spec),
    queueForeignJobs: (count, durationMs) => engine.queueForeign(count, durationMs),
    releaseForeignJobs: () => engine.releaseForeign(),
    expireTokens: () => tokens.expireAll(),
    setDailyQuota: (limit, used) => {
      applyRuntimePatch(options, { dailyQuota: limit });
      if (used !== undefined) limits.setQuotaUsed(used);
    },
    clear: () => {
      faults.clear();
      engine.clearFailRules();
    },
  };
}
