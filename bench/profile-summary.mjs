#!/usr/bin/env node
// Summarises a V8 CPU profile (from `npm run bench -- --profile`, or `node --cpu-prof`): the functions with the
// most self time, then the call tree under the functions whose name contains --under (if given), or with
// --breakdown, self time by step of the connector's work (read, parse, encode, copy, upload, GC, other).
//
//   node bench/profile-summary.mjs bench/results/profiles/Node24/throughput-default/<file>.cpuprofile [--top 25] [--under run] [--breakdown]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, under: { type: 'string' }, depth: { type: 'string', default: '4' }, breakdown: { type: 'boolean' } },
});
if (positionals.length !== 1) throw new Error('usage: profile-summary.mjs <file.cpuprofile> [--top N] [--under NAME] [--depth N]');

const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + us);
  totalUs += us;
});
const inclusive = new Map();
function inclusiveUs(id) {
  if (!inclusive.has(id)) {
    const children = nodes.get(id).children ?? [];
    inclusive.set(id, (selfUs.get(id) ?? 0) + children.reduce((sum, child) => sum + inclusiveUs(child), 0));
  }
  return inclusive.get(id);
}
const nameOf = ({ callFrame: f }) => `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
const share = (us) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %`;

const byName = new Map();
for (const [id, us] of selfUs) byName.set(nameOf(nodes.get(id)), (byName.get(nameOf(nodes.get(id))) ?? 0) + us);
console.log(`${positionals[0]}: ${(totalUs / 1e6).toFixed(2)} s sampled\n\nself time`);
for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${ms(us)} ${share(us)}  ${name}`);

if (values.under) {
  const print = (id, depth) => {
    const us = inclusiveUs(id);
    if (us < totalUs / 500) return;
    console.log(`${'  '.repeat(depth)}${ms(us).trim()} (self ${(((selfUs.get(id) ?? 0) / 1000) | 0)} ms) ${nameOf(nodes.get(id))}`);
    if (depth < Number(values.depth)) for (const child of [...(nodes.get(id).children ?? [])].sort((a, b) => inclusiveUs(b) - inclusiveUs(a))) print(child, depth + 1);
  };
  console.log(`\ncall tree under "${values.under}"`);
  for (const node of profile.nodes) if (nameOf(node).includes(values.under)) print(node.id, 0);
}

/**
 * Steps of the connector's work, by where a sample's code lives; the first match wins. Time in Node's own or native
 * code (a Buffer copy, a socket write) counts for the nearest caller outside it, so that Buffer.byteLength counts as
 * encoding and a socket write as uploading.
 */
const STEPS = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['read stdin (fs reads)', (f) => f.functionName === 'read' && f.url === ''],
  ['parse (cut lines, JSON.parse, messages)', (f) => /protocol\/(reader|line-chunks|messages)\.js$/.test(f.url)],
  ['encode (cells, CSV lines, row bytes, key hashes)', (f) => /batching\/(chunk-encoder|row-encoder|cell-values|csv-line|lookup-hash|iso-dates|columns)\.js$|csv-stringify/.test(f.url)],
  ['copy into files (file buffers, key sets, batcher)', (f) => /batching\/(csv-file|buffer-pool)\.js$|pipeline\/(stream-batcher|key-hashes|kept-file)\.js$/.test(f.url)],
  ['upload and poll (HTTP, multipart, scheduler)', (f) => /undici|form-data|combined-stream|marketo\/|pipeline\/(scheduler|poll-policy)\.js$/.test(f.url)],
];
const OTHER = 'other (start-up, ledger, progress, async plumbing)';

if (values.breakdown) {
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const internal = (f) => f.url === '' || f.url.startsWith('node:');
  /** The frame a sample counts for: its own, or that of the nearest caller outside Node's own and native code. */
  const owner = (id) => {
    let frame = nodes.get(id).callFrame;
    for (let at = parents.get(id); internal(frame) && at !== undefined && nodes.get(at).callFrame.functionName !== '(root)'; at = parents.get(at)) {
      frame = nodes.get(at).callFrame;
    }
    return internal(frame) ? nodes.get(id).callFrame : frame;
  };
  const steps = new Map([...STEPS.map(([name]) => [name, 0]), [OTHER, 0]]);
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const own = nodes.get(id).callFrame;
    if (own.functionName === '(idle)' || own.functionName === '(program)') continue;
    busyUs += us;
    const step = STEPS.find(([, matches]) => matches(own))?.[0] ?? STEPS.find(([, matches]) => matches(owner(id)))?.[0] ?? OTHER;
    steps.set(step, steps.get(step) + us);
  }
  console.log(`\nbreakdown of ${(busyUs / 1e6).toFixed(2)} s of busy samples (idle and (program) left out)`);
  for (const [name, us] of steps) console.log(`${ms(us)} ${((100 * us) / busyUs).toFixed(1).padStart(5)} %  ${name}`);
}
