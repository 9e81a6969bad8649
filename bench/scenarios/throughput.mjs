// 1. Local throughput, and the 1M-record half of 2. Memory: `write` against an emulator that imports instantly,
// next to a bare readline + JSON.parse reader of the same file, in alternating order, several times.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runWrite } from '../lib/connector.mjs';
import { ensureMessages } from '../lib/data.mjs';
import { runNode, withEmulator } from '../lib/processes.mjs';
import { figure, median, medianFigure } from '../lib/report.mjs';
import { fileFill, uploadedFiles } from '../lib/timeline.mjs';

const BASELINE = fileURLToPath(new URL('../baselines/readline-parse.mjs', import.meta.url));

/**
 * Instant imports, no limits on the emulator's side (the connector's own limiter is the only one), and no store:
 * storing a million leads costs the emulator more CPU than the connector spends sending them, and it shares the
 * machine with the connector.
 */
export const INSTANT_EMULATOR = ['--rate-limit', 'off', '--concurrency-limit', 'off', '--discard-rows'];
/** Default batching (10 MB files, 4 jobs in flight); polls sized for jobs that finish at once; limits at their maximum. */
export const THROUGHPUT_CONFIG = {
  polling: { initial_interval_seconds: 0.01, max_interval_seconds: 0.1 },
  rate_limit: { calls_per_20_seconds: 100, max_concurrent_calls: 10 },
};
const DEFAULT_MAX_FILE_BYTES = 10_000_000;

export async function connectorRun(ctx, messages, records, nodeArgs) {
  return withEmulator(ctx.emulatorJs, INSTANT_EMULATOR, (emulator) =>
    runWrite({ mainJs: ctx.mainJs, emulator, messages, records, overrides: THROUGHPUT_CONFIG, nodeArgs }),
  );
}

async function baselineRun(messages) {
  const run = await runNode(BASELINE, [], { stdinFile: messages });
  if (run.code !== 0) throw new Error(`readline baseline failed: ${run.stderr}`);
  return { wallMs: run.wallMs, usage: run.usage };
}

const cpuMs = (usage) => usage.userMs + usage.systemMs;

export async function throughput(ctx) {
  const { records, runs } = ctx.size.throughput;
  const messages = await ensureMessages(ctx.dataDir, records);
  const megabytes = statSync(messages).size / 1e6;
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    // Alternating the order keeps a drift in the machine's load from favouring either side.
    const first = i % 2 === 0 ? 'baseline' : 'connector';
    const pair = {};
    for (const side of first === 'baseline' ? ['baseline', 'connector'] : ['connector', 'baseline']) {
      ctx.log(`throughput ${i + 1}/${runs}: ${side}, ${records.toLocaleString('en-US')} records`);
      pair[side] = side === 'baseline' ? await baselineRun(messages) : await connectorRun(ctx, messages, records, ctx.profileArgs('throughput'));
    }
    pairs.push(pair);
  }
  const connectorMs = median(pairs.map((p) => p.connector.wallMs));
  const baselineMs = median(pairs.map((p) => p.baseline.wallMs));
  const rate = (ms) => records / (ms / 1000);
  const raw = pairs.map(({ connector, baseline }) => ({
    connector: { wallMs: connector.wallMs, usage: connector.usage, summary: connector.summary, files: uploadedFiles(connector.timeline) },
    baseline,
  }));
  return {
    records,
    megabytes,
    rssBytes: pairs.map((p) => p.connector.usage.maxRssBytes),
    fill: median(pairs.map((p) => fileFill(p.connector.timeline, DEFAULT_MAX_FILE_BYTES))),
    raw,
    figures: [
      figure('connector wall time', connectorMs / 1000, { unit: 's' }),
      figure('connector throughput', rate(connectorMs), { unit: 'records/s', digits: 0 }),
      figure('connector throughput', megabytes / (connectorMs / 1000), { unit: 'MB/s', digits: 1 }),
      figure('baseline wall time', baselineMs / 1000, { unit: 's', note: 'readline + JSON.parse' }),
      figure('baseline throughput', rate(baselineMs), { unit: 'records/s', digits: 0 }),
      medianFigure('wall time ratio, connector ÷ baseline', pairs.map((p) => p.connector.wallMs / p.baseline.wallMs), { target: { max: 1.5 } }),
      medianFigure('CPU time ratio, connector ÷ baseline', pairs.map((p) => cpuMs(p.connector.usage) / cpuMs(p.baseline.usage)), { note: 'user + system' }),
    ],
  };
}
