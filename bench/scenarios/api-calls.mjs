// 4. API calls with the default settings on jobs that take about a minute. Waiting a real minute per job would make
// the bench far too long, so the whole scenario runs k times faster: the emulator imports k times more rows per
// second and the connector polls k times more often (initial and maximum poll interval ÷ k). Every interval the
// poll policy compares then shrinks by the same factor, so it makes the same decisions, and the same calls, as
// unscaled. What is not scaled (HTTP round trips, reading the input) is small against even a scaled job.
import { runWrite } from '../lib/connector.mjs';
import { ensureMessages } from '../lib/data.mjs';
import { withEmulator } from '../lib/processes.mjs';
import { figure } from '../lib/report.mjs';
import { CSV_BYTES_PER_ROW, scaledPolling } from '../lib/polling.mjs';
import { callCounts, meanJobMs } from '../lib/timeline.mjs';

const JOB_SECONDS = 60;
/** Sync Leads API: at most 300 records per call. */
const SYNC_CALLS_PER_MILLION = Math.ceil(1e6 / 300);

export async function apiCalls(ctx) {
  const { records, maxFileBytes, scale } = ctx.size.apiCalls;
  const messages = await ensureMessages(ctx.dataDir, records);
  // A full file takes JOB_SECONDS unscaled, JOB_SECONDS ÷ scale here.
  const rowsPerSecond = Math.round(maxFileBytes / CSV_BYTES_PER_ROW / (JOB_SECONDS / scale));
  const overrides = { batching: { max_file_bytes: maxFileBytes }, polling: scaledPolling(JOB_SECONDS / scale) };
  ctx.log(`api calls: connector, ${records.toLocaleString('en-US')} records, time scaled ${scale}×`);
  const run = await withEmulator(ctx.emulatorJs, ['--rows-per-second', String(rowsPerSecond), '--sink'], (emulator) =>
    runWrite({ mainJs: ctx.mainJs, emulator, messages, records, overrides, nodeArgs: ctx.profileArgs('api-calls'), node: ctx.node }),
  );
  const calls = callCounts(run.timeline);
  const jobs = run.jobs.length;
  const perMillion = (calls.rest / records) * 1e6;
  return {
    raw: { scale, rowsPerSecond, overrides, calls, jobs: run.jobs, wallMs: run.wallMs },
    figures: [
      figure('mean job duration, unscaled', (meanJobMs(run.jobs) * scale) / 1000, { unit: 's', digits: 0, note: `${jobs} jobs, run ${scale}× faster` }),
      figure('calls per import job', calls.job / jobs, { target: { max: 8 }, note: 'create + status polls + report downloads' }),
      figure('REST calls per 1M records', perMillion, { digits: 0, note: `all ${calls.rest} calls of the sync, describe included` }),
      figure('Sync Leads API, calls per 1M records', SYNC_CALLS_PER_MILLION, { digits: 0, note: '300 records per call' }),
      figure('fewer calls than the Sync Leads API', SYNC_CALLS_PER_MILLION / perMillion, { unit: '×', digits: 0 }),
    ],
  };
}
