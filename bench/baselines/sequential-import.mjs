// Pipeline baseline: what a marketorestpython-style script does. It first writes the records of an Airbyte
// messages file as CSV files of at most --max-file-bytes (untimed), then imports them one at a time: upload a file,
// poll its job every --poll-ms until it is Complete, upload the next. Its own plain HTTP code, no limiter.
// Prints one JSON line to stdout: { files, rows, calls }.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'csv-stringify/sync';
import { COLUMNS } from '../lib/data.mjs';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    messages: { type: 'string' },
    'max-file-bytes': { type: 'string' },
    'poll-ms': { type: 'string' },
  },
});
const maxBytes = Number(values['max-file-bytes']);
const pollMs = Number(values['poll-ms']);

async function buildFiles() {
  const header = stringify([COLUMNS.map((c) => c.to)]);
  const files = [];
  let lines = [];
  let bytes = Buffer.byteLength(header);
  const cut = () => {
    files.push({ text: header + lines.join(''), rows: lines.length });
    lines = [];
    bytes = Buffer.byteLength(header);
  };
  for await (const line of createInterface({ input: createReadStream(values.messages), crlfDelay: Infinity })) {
    const message = JSON.parse(line);
    if (message.type !== 'RECORD') continue;
    const row = stringify([COLUMNS.map((c) => message.record.data[c.from] ?? '')]);
    const size = Buffer.byteLength(row);
    if (bytes + size > maxBytes) cut();
    lines.push(row);
    bytes += size;
  }
  if (lines.length > 0) cut();
  return files;
}

let calls = 0;

async function api(method, path, { token, body } = {}) {
  calls++;
  const response = await fetch(`${values.url}${path}`, {
    method,
    body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const json = await response.json();
  if (!response.ok || json.success === false || (json.access_token === undefined && json.result === undefined)) {
    throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

async function importFile(token, file) {
  const form = new FormData();
  form.set('file', new Blob([file.text], { type: 'text/csv' }), 'leads.csv');
  let job = (await api('POST', '/bulk/v1/leads.json?format=csv&lookupField=email', { token, body: form })).result[0];
  while (job.status === 'Queued' || job.status === 'Importing') {
    await sleep(pollMs);
    job = (await api('GET', `/bulk/v1/leads/batch/${job.batchId}.json`, { token })).result[0];
  }
  if (job.status !== 'Complete') throw new Error(`job ${job.batchId} ended ${job.status}: ${job.message}`);
}

const files = await buildFiles();
const auth = await api('GET', '/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret');
calls = 0; // identity calls do not count against Marketo's quota
for (const file of files) await importFile(auth.access_token, file);
process.stdout.write(`${JSON.stringify({ files: files.length, rows: files.reduce((n, f) => n + f.rows, 0), calls })}\n`);
