// Not one of the issue's figures: the connector's input path alone (read, parse, encode, copy into files; no HTTP),
// on the main thread and on worker threads, next to the readline baseline. It shows what the encoder costs without
// the emulator, which in the throughput scenario shares the machine's cores with the connector.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMessages } from '../lib/data.mjs';
import { runNode } from '../lib/processes.mjs';
import { medianFigure } from '../lib/report.mjs';

const BASELINE = fileURLToPath(new URL('../baselines/readline-parse.mjs', import.meta.url));
const INPUT_PATH = fileURLToPath(new URL('../lib/encode-input.mjs', import.meta.url));
const THREADS = [0, 2];

async function timed(ctx, script, args, messages) {
  const run = await runNode(script, args, { stdinFile: messages, node: ctx.node });
  if (run.code !== 0) throw new Error(`${path.basename(script)} failed: ${run.stderr}`);
  return run.wallMs;
}

export async function inputPath(ctx) {
  const { records, runs } = ctx.size.throughput;
  const messages = await ensureMessages(ctx.dataDir, records);
  const dist = path.dirname(ctx.mainJs);
  const ratios = new Map(THREADS.map((threads) => [threads, []]));
  for (let i = 0; i < runs; i++) {
    ctx.log(`input path ${i + 1}/${runs}: baseline, then ${THREADS.map((t) => `${t} threads`).join(', ')}`);
    const baseline = await timed(ctx, BASELINE, [], messages);
    for (const threads of THREADS) ratios.get(threads).push((await timed(ctx, INPUT_PATH, [dist, String(threads)], messages)) / baseline);
  }
  return {
    records,
    ratios: Object.fromEntries(ratios),
    figures: THREADS.map((threads) => medianFigure(`wall time ÷ baseline, ${threads} encoder threads`, ratios.get(threads), { note: 'no HTTP, no emulator' })),
  };
}
