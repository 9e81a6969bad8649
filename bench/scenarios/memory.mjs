// 2. Memory: the connector's peak RSS on the throughput runs (1M records) and on one run four times as long.
// Flat means the peak does not grow with the input: the 4M run within 10 % of the 1M runs. Where the peak comes from
// is shown by the memory sampled at the moment of peak RSS (V8 heap, its young generation, external memory, of which
// ArrayBuffers: file buffers and input chunks).
import { ensureMessages } from '../lib/data.mjs';
import { figure } from '../lib/report.mjs';
import { connectorRun } from './throughput.mjs';

const MB = 1e6;

export async function memory(ctx, throughputResult) {
  const { records } = ctx.size.memory;
  const messages = await ensureMessages(ctx.dataDir, records);
  ctx.log(`memory: connector, ${records.toLocaleString('en-US')} records`);
  const long = await connectorRun(ctx, messages, records, { nodeArgs: ctx.profileArgs('memory') });
  const short = Math.max(...throughputResult.rssBytes);
  const peak = long.usage.maxRssBytes;
  const label = (n) => `${(n / 1e6).toLocaleString('en-US')}M records`;
  const atPeak = long.usage.atPeak;
  const part = (name, bytes) => figure(`at the ${label(records)} peak: ${name}`, bytes / MB, { unit: 'MB', digits: 0 });
  return {
    raw: { records, wallMs: long.wallMs, usage: long.usage, summary: long.summary },
    figures: [
      figure(`peak RSS, ${label(throughputResult.records)}`, short / MB, { unit: 'MB', digits: 0, target: { max: 200 }, note: 'highest of the throughput runs' }),
      figure(`peak RSS, ${label(records)}`, peak / MB, { unit: 'MB', digits: 0, target: { max: 200 } }),
      figure(`growth, ${label(records)} vs ${label(throughputResult.records)}`, (100 * (peak - short)) / short, { unit: '%', digits: 1, target: { max: 10 } }),
      ...(atPeak
        ? [
            part('V8 heap, main thread', atPeak.heapTotal),
            part('of which young generation', atPeak.youngGeneration),
            part('external memory', atPeak.external),
            part('of which ArrayBuffers', atPeak.arrayBuffers),
            part('the rest (Node itself, encoder threads, native)', atPeak.rss - atPeak.heapTotal - atPeak.external),
          ]
        : []),
    ],
  };
}
