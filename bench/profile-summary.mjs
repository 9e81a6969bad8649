#!/usr/bin/env node
// Summarises a V8 CPU profile (from `npm run bench -- --profile`, or `node --cpu-prof`): the functions with the
// most self time, then the call tree under the functions whose name contains --under (if given).
//
//   node bench/profile-summary.mjs bench/results/profiles/throughput/<file>.cpuprofile [--top 25] [--under run]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, under: { type: 'string' }, depth: { type: 'string', default: '4' } },
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
