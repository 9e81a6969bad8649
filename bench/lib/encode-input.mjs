// The connector's input path alone, as `write` runs it: stdin cut into chunks of lines, each parsed and encoded as
// CSV rows (on `threads` worker threads, or on the main thread for 0), then cut into files of the default size by
// the connector's own StreamBatcher. No HTTP, no scheduler. Run by the input-path scenario with the built connector's
// dist/ directory:
//
//   node bench/lib/encode-input.mjs <dist dir> <threads> < messages.jsonl
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { COLUMNS, STREAM } from './data.mjs';

const [dist, threads] = process.argv.slice(2);
const load = (module) => import(pathToFileURL(path.join(dist, module)).href);
const { readLineChunks } = await load('protocol/line-chunks.js');
const { streamKey } = await load('protocol/messages.js');
const { encodeChunks } = await load('encoding/encoder-pool.js');
const { StreamBatcher } = await load('pipeline/stream-batcher.js');
const { BufferPool } = await load('pipeline/buffer-pool.js');

const maxBytes = 10_000_000;
const key = streamKey(STREAM);
const columns = COLUMNS.map((c) => ({ name: c.to, source: c.from }));
const plan = { format: 'csv', maxBytes, streams: [{ key, columns, keyColumns: [0] }] };
const stream = { key, name: STREAM, target: { kind: 'leads', lookupField: 'email' }, targetKey: 'leads', columns, keyColumns: [0] };
// Cut files go straight back to the pool, as they do once uploaded.
const pool = new BufferPool(maxBytes);
const batcher = new StreamBatcher(stream, { format: 'csv', maxBytes, pool }, { onFile: ({ csv }) => pool.give(csv.bytes), onRejected: () => undefined });
let rows = 0;
for await (const chunk of encodeChunks(readLineChunks(process.stdin), plan, { threads: Number(threads) })) {
  if (chunk.failure) throw new Error(chunk.failure.message);
  for (const item of chunk.items) {
    if (item.kind !== 'rows') continue;
    batcher.add(item, null);
    rows += item.ends.length;
  }
}
batcher.flush();
process.stderr.write(`${rows} rows\n`);
