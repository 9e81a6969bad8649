// 1. Local throughput, and the 1M-record half of 2. Memory: `write` against an emulator that imports instantly, with
// the default config and with batching.encoder_threads 2, next to a bare readline + JSON.parse reader of the same
// file on the same Node, in alternating order, several times.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWrite } from '../lib/connector.mjs';
import { ensureMessages } from '../lib/data.mjs';
import { runNode, withEmulator } from '../lib/processes.mjs';
import { figure, median, medianFigure } from '../lib/report.mjs';
import { fileFill, uploadedFiles } from '../lib/timeline.mjs';

const BASELINE = fileURLToPath(new URL('../baselines/readline-parse.mjs', import.meta.url));

/**
 * A stand-in for Marketo whose CPU cost is negligible, so that the figure is the connector's own: instant imports,
 * no limits (the connector's own limiter is the only one), and `--sink`: files are received and their rows counted,
 * not parsed, checked or stored. The emulator shares the machine's cores with the connector.
 */
export const INSTANT_EMULATOR = ['--rate-limit', 'off', '--concurrency-limit', 'off', '--sink'];
/** Default batching (10 MB files, 4 jobs in flight); polls sized for jobs that finish at once; limits at their maximum. */
export const THROUGHPUT_CONFIG = {
  polling: { initial_interval_seconds: 0.01, max_interval_seconds: 0.1 },
  rate_limit: { calls_per_20_seconds: 100, max_concurrent_calls: 10 },
};
const DEFAULT_MAX_FILE_BYTES = 10_000_000;
/** The connector's runs, each next to the baseline: its default config, and two encoder threads. */
const VARIANTS = {
  default: {},
  threads2: { batching: { encoder_threads: 2 } },
};
/** Memory is sampled this often in the connector's runs (rusage-hook.mjs), for where a peak comes from. */
const MEMORY_SAMPLE_MS = 250;

export async function connectorRun(ctx, messages, records, { overrides = {}, nodeArgs } = {}) {
  return withEmulator(ctx.emulatorJs, INSTANT_EMULATOR, (emulator) =>
    runWrite({
      ...{ mainJs: ctx.mainJs, emulator, messages, records, overrides: { ...THROUGHPUT_CONFIG, ...overrides }, nodeArgs, node: ctx.node },
      env: { BENCH_MEMORY_SAMPLE_MS: String(MEMORY_SAMPLE_MS) },
    }),
  );
}

async function baselineRun(ctx, messages) {
  const run = await runNode(BASELINE, [], { stdinFile: messages, node: ctx.node });
  if (run.code !== 0) throw new Error(`readline baseline failed: ${run.stderr}`);
  return { wallMs: run.wallMs, usage: run.usage };
}

const cpuMs = (usage) => usage.userMs + usage.systemMs;

export async function throughput(ctx) {
  const { records, runs } = ctx.size.throughput;
  const messages = await ensureMessages(ctx.dataDir, records);
  const megabytes = statSync(messages).size / 1e6;
  const sides = ['baseline', ...Object.keys(VARIANTS)];
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    // Alternating the order keeps a drift in the machine's load from favouring either side.
    const pair = {};
    for (const side of i % 2 === 0 ? sides : [...sides].reverse()) {
      ctx.log(`throughput ${i + 1}/${runs}: ${side}, ${records.toLocaleString('en-US')} records`);
      pair[side] =
        side === 'baseline'
          ? await baselineRun(ctx, messages)
          : await connectorRun(ctx, messages, records, { overrides: VARIANTS[side], nodeArgs: ctx.profileArgs(`throughput-${side}`) });
    }
    pairs.push(pair);
  }
  const wallMs = (side) => median(pairs.map((p) => p[side].wallMs));
  const rate = (ms) => records / (ms / 1000);
  const ratios = (side, of) => pairs.map((p) => of(p[side]) / of(p.baseline));
  const raw = pairs.map((pair) => ({
    baseline: pair.baseline,
    ...Object.fromEntries(
      Object.keys(VARIANTS).map((side) => {
        const { wallMs, usage, summary, timeline } = pair[side];
        return [side, { wallMs, usage, summary, files: uploadedFiles(timeline) }];
      }),
    ),
  }));
  const MB = 1e6;
  return {
    records,
    megabytes,
    rssBytes: pairs.map((p) => p.default.usage.maxRssBytes),
    fill: median(pairs.map((p) => fileFill(p.default.timeline, DEFAULT_MAX_FILE_BYTES))),
    raw,
    figures: [
      figure('connector wall time (default config)', wallMs('default') / 1000, { unit: 's' }),
      figure('connector throughput (default config)', rate(wallMs('default')), { unit: 'records/s', digits: 0 }),
      figure('connector throughput (default config)', megabytes / (wallMs('default') / 1000), { unit: 'MB/s', digits: 1 }),
      figure('baseline wall time (readline + JSON.parse)', wallMs('baseline') / 1000, { unit: 's' }),
      figure('baseline throughput', rate(wallMs('baseline')), { unit: 'records/s', digits: 0 }),
      medianFigure('wall time ratio, connector ÷ baseline, default config', ratios('default', (r) => r.wallMs), { target: { max: 1.5 } }),
      medianFigure('CPU time ratio (user + system), default config', ratios('default', (r) => cpuMs(r.usage))),
      medianFigure('wall time ratio, connector ÷ baseline, encoder_threads 2', ratios('threads2', (r) => r.wallMs), { target: { max: 1.5 } }),
      medianFigure('CPU time ratio (user + system), encoder_threads 2', ratios('threads2', (r) => cpuMs(r.usage))),
      figure('peak RSS, encoder_threads 2 (highest run)', Math.max(...pairs.map((p) => p.threads2.usage.maxRssBytes)) / MB, { unit: 'MB', digits: 0 }),
    ],
  };
}
