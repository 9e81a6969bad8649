// 2. Memory: the connector's peak RSS on the throughput runs (1M records) and on one run four times as long.
// Flat means the peak does not grow with the input: the 4M run within 10 % of the 1M runs.
import { ensureMessages } from '../lib/data.mjs';
import { figure } from '../lib/report.mjs';
import { connectorRun } from './throughput.mjs';

const MB = 1e6;

export async function memory(ctx, throughputResult) {
  const { records } = ctx.size.memory;
  const messages = await ensureMessages(ctx.dataDir, records);
  ctx.log(`memory: connector, ${records.toLocaleString('en-US')} records`);
  const long = await connectorRun(ctx, messages, records, ctx.profileArgs('memory'));
  const short = Math.max(...throughputResult.rssBytes);
  const peak = long.usage.maxRssBytes;
  const label = (n) => `${(n / 1e6).toLocaleString('en-US')}M records`;
  return {
    raw: { records, wallMs: long.wallMs, usage: long.usage, summary: long.summary },
    figures: [
      figure(`peak RSS, ${label(throughputResult.records)}`, short / MB, { unit: 'MB', digits: 0, target: { max: 200 }, note: 'highest of the throughput runs' }),
      figure(`peak RSS, ${label(records)}`, peak / MB, { unit: 'MB', digits: 0, target: { max: 200 } }),
      figure(`growth, ${label(records)} vs ${label(throughputResult.records)}`, (100 * (peak - short)) / short, { unit: '%', digits: 1, target: { max: 10 } }),
    ],
  };
}
