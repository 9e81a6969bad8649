#!/usr/bin/env node
// `npm run bench`: measures the connector against baselines run side by side on the same machine and the same Node,
// on Node 20 (the bench's own Node) and Node 24 (the image's, installed from npm), prints a table with a column per
// Node and writes the results to bench/results/. See BENCHMARKS.md.
//
//   BENCH_SIZE=full|smoke   full (default) is the issue's sizes, about 10 minutes; smoke is seconds, for CI
//   BENCH_ENCODER_THREADS=N batching.encoder_threads for the default runs (default: the connector's own default)
//   BENCH_NODE24=FILE       the Node 24 binary to use instead of installing one
//   --only a,b              run only these scenarios: throughput, memory, pipeline, api-calls, input-path
//   --profile               run the connector with --cpu-prof; profiles go to bench/results/profiles/<node>/
//   --connector F           the connector's main.js (default dist/main.js), e.g. another build to compare
//   --emulator F            the emulator's main.js (default dist/emulator/main.js)
//
// The connector must be built first (`npm run build`). A run that breaks (connector exit code, a missing state,
// a record not imported) fails the bench; a figure that misses its target does not.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENCODER_THREADS } from './lib/data.mjs';
import { machine } from './lib/machine.mjs';
import { benchNodes } from './lib/nodes.mjs';
import { figure, table } from './lib/report.mjs';
import { apiCalls } from './scenarios/api-calls.mjs';
import { inputPath } from './scenarios/input-path.mjs';
import { memory } from './scenarios/memory.mjs';
import { pipeline } from './scenarios/pipeline.mjs';
import { throughput } from './scenarios/throughput.mjs';
import { SIZES } from './sizes.mjs';

const SCENARIOS = ['throughput', 'memory', 'pipeline', 'api-calls', 'input-path'];
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, '..');
const resultsDir = path.join(benchDir, 'results');

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    connector: { type: 'string', default: path.join(repoRoot, 'dist/main.js') },
    emulator: { type: 'string', default: path.join(repoRoot, 'dist/emulator/main.js') },
  },
});
const sizeName = process.env.BENCH_SIZE ?? 'full';
const size = SIZES[sizeName];
if (!size) throw new Error(`BENCH_SIZE must be one of ${Object.keys(SIZES).join(', ')}, not "${sizeName}"`);
const only = values.only ? values.only.split(',') : SCENARIOS;
for (const name of only) if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
// Memory reuses the throughput runs for its 1M-record figure.
if (only.includes('memory') && !only.includes('throughput')) only.unshift('throughput');

const shared = {
  size,
  mainJs: path.resolve(values.connector),
  emulatorJs: path.resolve(values.emulator),
  dataDir: path.join(benchDir, 'data'),
  log: (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`),
};
const started = performance.now();

async function main() {
  for (const file of [shared.mainJs, shared.emulatorJs]) {
    if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run \`npm run build\` first`);
  }
  // The load average at the start and at the end: the machine is shared, and its other work shows in the figures.
  const host = machine();
  const { nodes, dispose } = benchNodes(shared.log);
  const columns = [];
  const results = {};
  try {
    for (const node of nodes) {
      // The connector, its baselines and the scripts they compare with run on this Node; the emulator on the bench's.
      const ctx = {
        ...shared,
        node: node.path,
        log: (message) => shared.log(`${node.label}: ${message}`),
        profileArgs: (scenario) => (values.profile ? ['--cpu-prof', '--cpu-prof-dir', path.join(resultsDir, 'profiles', node.label.replace(' ', ''), scenario)] : []),
      };
      const measured = await scenarios(ctx);
      results[node.label] = { version: node.version, ...measured.results };
      columns.push({ label: `${node.label} (${node.version})`, sections: measured.sections });
    }
  } finally {
    dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  const build = {
    commit: commitOf(repoRoot),
    connector: path.relative(repoRoot, shared.mainJs),
    emulator: path.relative(repoRoot, shared.emulatorJs),
    encoderThreads: ENCODER_THREADS ?? 'default',
  };
  const sections = Object.fromEntries(columns.map((c) => [c.label, c.sections]));
  const report = { size: sizeName, date: new Date().toISOString(), seconds, machine: { ...host, loadAverageEnd: machine().loadAverage }, build, sections, results };
  mkdirSync(resultsDir, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  for (const name of [`${sizeName}-${stamp}.json`, `${sizeName}-latest.json`]) {
    writeFileSync(path.join(resultsDir, name), `${JSON.stringify(report, null, 2)}\n`);
  }
  const m = report.machine;
  const built = build.connector === 'dist/main.js' ? `dist/ of ${build.commit}` : `${build.connector} (repository at ${build.commit})`;
  const measured = `${built}, encoder threads ${build.encoderThreads}`;
  process.stdout.write(`\nBench (${sizeName}): ${measured}, ${seconds.toFixed(0)} s on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, load average ${m.loadAverage[0]} at the start, ${m.loadAverageEnd[0]} at the end\n\n`);
  process.stdout.write(`${table(columns)}\n\nResults: ${path.relative(process.cwd(), path.join(resultsDir, `${sizeName}-latest.json`))}\n`);
}

/** Every selected scenario on one Node: their results and the sections of the table. */
async function scenarios(ctx) {
  const results = {};
  const sections = [];
  if (only.includes('throughput')) {
    results.throughput = await throughput(ctx);
    sections.push({ title: '1. Local throughput', figures: results.throughput.figures });
  }
  if (only.includes('memory')) {
    results.memory = await memory(ctx, results.throughput);
    sections.push({ title: '2. Memory', figures: results.memory.figures });
  }
  if (only.includes('pipeline')) {
    results.pipeline = await pipeline(ctx);
    sections.push({ title: '3. Pipeline use', figures: results.pipeline.figures });
  }
  if (only.includes('api-calls')) {
    results.apiCalls = await apiCalls(ctx);
    sections.push({ title: '4. API calls', figures: results.apiCalls.figures });
  }
  const fills = [results.throughput, results.pipeline].filter((r) => r?.fill !== undefined);
  if (fills.length > 0) {
    const bytes = (r) => `max_file_bytes ${(r.maxFileBytes ?? 10_000_000).toLocaleString('en-US')}`;
    sections.push({ title: '5. File fill', figures: fills.map((r) => figure(`mean file ÷ max, ${bytes(r)}`, r.fill, { digits: 3, target: { min: 0.97 } })) });
  }
  if (only.includes('input-path')) {
    results.inputPath = await inputPath(ctx);
    sections.push({ title: '6. Input path alone (not an issue figure)', figures: results.inputPath.figures });
  }
  return { results, sections };
}

/** The commit the bench ran from, marked when the working tree had changes (the build may include them). */
function commitOf(dir) {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
