// 3. Pipeline use: Marketo imports a fixed number of rows per second per job, two jobs at once, so no client can
// finish faster than rows ÷ (2 × rate). The connector, and next to it a sequential upload-poll-upload script
// against identical emulators, each measured from their first upload to their last call.
import { fileURLToPath } from 'node:url';
import { runWrite } from '../lib/connector.mjs';
import { ensureMessages } from '../lib/data.mjs';
import { runNode, withEmulator } from '../lib/processes.mjs';
import { figure, median, medianFigure } from '../lib/report.mjs';
import { fullJobSeconds, scaledPolling } from '../lib/polling.mjs';
import { callCounts, fileFill, pipelineSpanMs, slotUse, uploadedFiles } from '../lib/timeline.mjs';

const SEQUENTIAL = fileURLToPath(new URL('../baselines/sequential-import.mjs', import.meta.url));
const IMPORTING_AT_ONCE = 2;

export async function pipeline(ctx) {
  const { records, maxFileBytes, rowsPerSecond, runs } = ctx.size.pipeline;
  const messages = await ensureMessages(ctx.dataDir, records);
  const emulatorArgs = [
    ...['--rows-per-second', String(rowsPerSecond), '--max-importing', String(IMPORTING_AT_ONCE)],
    // As for throughput: the connector's limiter is the only one, and a sink that only counts rows takes no CPU from the clients.
    ...['--rate-limit', 'off', '--concurrency-limit', 'off', '--sink'],
  ];
  // A full file takes a fraction of a second here, so the connector polls as its defaults would on jobs of a
  // minute, scaled down; the sequential script polls at the connector's first interval, a fair fixed interval.
  const polling = scaledPolling(fullJobSeconds(maxFileBytes, rowsPerSecond));
  const overrides = {
    batching: { max_file_bytes: maxFileBytes },
    polling,
    rate_limit: { calls_per_20_seconds: 100, max_concurrent_calls: 10 },
  };
  const runConnector = () =>
    withEmulator(ctx.emulatorJs, emulatorArgs, async (emulator) => {
      const run = await runWrite({ mainJs: ctx.mainJs, emulator, messages, records, overrides, nodeArgs: ctx.profileArgs('pipeline'), node: ctx.node });
      return { wallMs: run.wallMs, spanMs: pipelineSpanMs(run.timeline), calls: callCounts(run.timeline), jobs: run.jobs, timeline: run.timeline };
    });
  const runSequential = () =>
    withEmulator(ctx.emulatorJs, emulatorArgs, async (emulator) => {
      const args = ['--url', emulator.url, '--messages', messages, '--max-file-bytes', String(maxFileBytes), '--poll-ms', String(polling.initial_interval_seconds * 1000)];
      const run = await runNode(SEQUENTIAL, args, { node: ctx.node });
      if (run.code !== 0) throw new Error(`sequential baseline failed: ${run.stderr}`);
      const timeline = await emulator.get('/_emulator/timeline');
      return { wallMs: run.wallMs, spanMs: pipelineSpanMs(timeline), calls: callCounts(timeline), ...JSON.parse(run.stdout) };
    });

  const pairs = [];
  for (let i = 0; i < runs; i++) {
    const order = i % 2 === 0 ? ['connector', 'sequential'] : ['sequential', 'connector'];
    const pair = {};
    for (const side of order) {
      ctx.log(`pipeline ${i + 1}/${runs}: ${side}, ${records.toLocaleString('en-US')} records in files of ${maxFileBytes.toLocaleString('en-US')} bytes`);
      pair[side] = side === 'connector' ? await runConnector() : await runSequential();
    }
    pairs.push(pair);
  }
  const idealMs = (records / (IMPORTING_AT_ONCE * rowsPerSecond)) * 1000;
  const seconds = (side) => pairs.map((p) => p[side].spanMs / 1000);
  const jobs = median(pairs.map((p) => p.connector.jobs.length));
  return {
    fill: median(pairs.map((p) => fileFill(p.connector.timeline, maxFileBytes))),
    maxFileBytes,
    raw: pairs.map(({ connector, sequential }) => ({
      connector: { wallMs: connector.wallMs, spanMs: connector.spanMs, calls: connector.calls, files: uploadedFiles(connector.timeline), jobs: connector.jobs },
      sequential,
    })),
    figures: [
      figure('ideal', idealMs / 1000, { unit: 's', note: `${records.toLocaleString('en-US')} rows ÷ (2 × ${rowsPerSecond.toLocaleString('en-US')} rows/s)` }),
      medianFigure('connector, first upload to last poll', seconds('connector'), { unit: 's', note: `${jobs} jobs` }),
      medianFigure('connector ÷ ideal', pairs.map((p) => p.connector.spanMs / idealMs), { target: { max: 1.1 } }),
      medianFigure('sequential baseline, first upload to last poll', seconds('sequential'), { unit: 's' }),
      medianFigure('speed-up over the sequential baseline', pairs.map((p) => p.sequential.spanMs / p.connector.spanMs), { target: { min: 1.8 } }),
      medianFigure('import slots busy with the connector’s jobs', pairs.map((p) => 100 * slotUse(p.connector.jobs, IMPORTING_AT_ONCE, p.connector.spanMs)), {
        unit: '%',
        digits: 0,
        note: 'of 2 slots over its span',
      }),
      medianFigure('connector API calls', pairs.map((p) => p.connector.calls.rest), { digits: 0, note: 'its limiter allows 100 per 20 s' }),
    ],
  };
}
