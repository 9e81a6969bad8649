// The connector's input path alone, as `write` runs it: stdin cut into chunks of lines, each parsed and encoded as
// CSV rows (on `threads` worker threads, or on the main thread for 0), then copied into files of the default size.
// No HTTP, no scheduler. Run by the input-path scenario with the built connector's dist/ directory:
//
//   node bench/lib/encode-input.mjs <dist dir> <threads> < messages.jsonl
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COLUMNS, STREAM } from './data.mjs';

const [dist, threads] = process.argv.slice(2);
const load = (module) => import(pathToFileURL(path.join(dist, module)).href);
const { readLineChunks } = await load('protocol/line-chunks.js');
const { streamKey } = await load('protocol/messages.js');
const { encodeChunks } = await load('batching/encoder-pool.js');
const { CsvFileBuilder } = await load('batching/csv-file.js');

const maxBytes = 10_000_000;
const columns = COLUMNS.map((c) => ({ name: c.to, source: c.from }));
const plan = { format: 'csv', maxBytes, streams: [{ key: streamKey(STREAM), columns, keyColumns: [0] }] };
const builder = new CsvFileBuilder({ header: columns.map((c) => c.name), format: 'csv', maxBytes });
let rows = 0;
for await (const chunk of encodeChunks(readLineChunks(process.stdin), plan, { threads: Number(threads) })) {
  if (chunk.failure) throw new Error(chunk.failure.message);
  for (const item of chunk.items) {
    if (item.kind !== 'rows') continue;
    for (let from = 0; from < item.ends.length; ) {
      const to = builder.push(item, from, null);
      if (to < item.ends.length) builder.cut();
      from = to;
    }
    rows += item.ends.length;
  }
}
builder.cut();
process.stderr.write(`${rows} rows\n`);
