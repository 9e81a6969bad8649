#!/usr/bin/env node
// `npm run demo` (npm run build && node scripts/demo.mjs): the connector's main job on the embedded examples.
// Starts the Marketo emulator, pipes examples/messages.jsonl through `write`, shows the connector's stdout (its
// states and logs) while its progress and summary go to stderr, then shows a sample of the emulator's store.
// Exits non-zero if the connector failed or broke the protocol: a stdout line that is not an Airbyte message,
// or an input state not echoed back unchanged.
//
// Options: --config F, --catalog F, --messages F   inputs (default: the files in examples/)
//          --connector F                          an executable to run instead of `node dist/main.js`,
//                                                 e.g. an installed package's entrypoint.sh
//          --emulator F                           the emulator's main.js (default: dist/emulator/main.js)
//          --rejects DIR                          keep the rejected records in DIR (default: a temporary folder,
//                                                 shown and then removed with the demo's other files)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readStore, startEmulator } from './lib/emulator.mjs';
import { table } from './lib/table.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE_ROWS = 5;
// Imports take a little time, as in Marketo, so that the progress display has something to show.
const EMULATOR_ARGS = ['--rows-per-second', '5000'];

const { values: options } = parseArgs({
  options: {
    config: { type: 'string', default: path.join(repoRoot, 'examples/config.json') },
    catalog: { type: 'string', default: path.join(repoRoot, 'examples/catalog.json') },
    messages: { type: 'string', default: path.join(repoRoot, 'examples/messages.jsonl') },
    connector: { type: 'string' },
    emulator: { type: 'string', default: path.join(repoRoot, 'dist/emulator/main.js') },
    rejects: { type: 'string' },
  },
});

const say = (text = '') => process.stdout.write(`${text}\n`);
const shown = (file) => path.relative(process.cwd(), file) || file;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const number = (n) => n.toLocaleString('en-US');

/** JSON with sorted keys, so that two states compare equal whatever their key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

/** The states of the input, as a multiset of their canonical JSON; echoed states are crossed off. */
class ExpectedStates {
  constructor(lines) {
    this.pending = new Map();
    this.total = 0;
    for (const line of lines) {
      if (!line.includes('"STATE"')) continue;
      const message = JSON.parse(line);
      if (message.type !== 'STATE') continue;
      const key = canonical(message.state);
      this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
      this.total++;
    }
  }

  /** Crosses off an echoed state; false if no input state matches it once destinationStats is set aside. */
  echoed(state) {
    const { destinationStats, ...rest } = state;
    const key = canonical(rest);
    const left = this.pending.get(key) ?? 0;
    if (left === 0) return false;
    this.pending.set(key, left - 1);
    return true;
  }

  get missing() {
    let n = 0;
    for (const left of this.pending.values()) n += left;
    return n;
  }
}

function describeState(state) {
  const stats = state.destinationStats ?? {};
  const counts = `records ${stats.recordCount ?? '?'}, rejected ${stats.rejectedRecordCount ?? 0}`;
  const id = state.id === undefined ? '' : ` #${state.id}`;
  if (state.type === 'STREAM') {
    const { stream_descriptor: d, stream_state: cursor } = state.stream ?? {};
    return `STATE${id} ${d?.namespace ? `${d.namespace}.` : ''}${d?.name}  ${JSON.stringify(cursor)}  ${counts}`;
  }
  return `STATE${id} ${state.type ?? 'LEGACY'}  ${counts}`;
}

// The connector redraws its progress line on the terminal; clear it before printing a line of our own.
const clearProgress = process.stdout.isTTY && process.stderr.isTTY ? '\r\x1b[2K' : '';

/** Runs `write`, printing its stdout as it arrives; resolves with its exit code and the protocol problems seen. */
function runWrite(command, args, input, expected) {
  const child = spawn(command[0], [...command.slice(1), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const problems = [];
  let echoed = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    if (typeof message?.type !== 'string') {
      problems.push(`not an Airbyte message on stdout: ${line.slice(0, 200)}`);
      return say(`${clearProgress}  !! not an Airbyte message: ${line.slice(0, 200)}`);
    }
    if (message.type === 'STATE') {
      echoed++;
      if (!expected.echoed(message.state)) problems.push(`a state that is not one of the input's: ${line}`);
      say(`${clearProgress}  ${describeState(message.state)}`);
    } else if (message.type === 'LOG') {
      say(`${clearProgress}  LOG ${message.log?.level}  ${message.log?.message}`);
    } else if (message.type === 'TRACE' && message.trace?.error) {
      say(`${clearProgress}  TRACE ERROR (${message.trace.error.failure_type ?? 'no failure_type'})  ${message.trace.error.message}`);
    }
  });
  child.stdin.on('error', () => undefined); // the connector may stop reading when it fails
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? 1, signal, echoed, problems }));
  });
}

/** What to sample from the store for each mapping: its endpoint and the Marketo fields the stream writes. */
function storeViews(config, catalog) {
  return (config.stream_mappings ?? []).flatMap(({ stream: name, object, field_mappings: renames = [] }) => {
    const stream = catalog.streams.find((s) => s.stream.name === name)?.stream;
    if (!stream) return [];
    const to = new Map(renames.map((m) => [m.from, m.to]));
    const fields = Object.keys(stream.json_schema?.properties ?? {})
      .filter((f) => !f.startsWith('_airbyte_'))
      .map((f) => to.get(f) ?? f);
    const limit = `limit=${SAMPLE_ROWS}`;
    switch (object.type) {
      case 'leads':
        return [{ title: `Leads (stream ${name})`, path: `/_emulator/store/leads?${limit}`, columns: ['id', ...fields] }];
      case 'custom_object':
        return [{ title: `Custom object ${object.api_name} (stream ${name})`, path: `/_emulator/store/customobjects/${encodeURIComponent(object.api_name)}?${limit}`, columns: fields }];
      case 'program_members':
        return [{ title: `Members of program ${object.program_id} (stream ${name})`, path: `/_emulator/store/programmembers?programId=${encodeURIComponent(object.program_id)}&${limit}`, columns: ['leadId', 'email', 'statusName', ...fields] }];
      default:
        return [];
    }
  });
}

async function showStore(baseUrl, config, catalog) {
  const counts = await readStore(baseUrl, '/_emulator/store');
  const objects = Object.entries(counts.customObjects ?? {})
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${number(n)} ${name} records`);
  say(`4. In the emulator's store: ${[`${number(counts.leads)} leads`, ...objects, `${number(counts.programMembers)} program members`].join(', ')}`);
  for (const view of storeViews(config, catalog)) {
    const rows = await readStore(baseUrl, view.path);
    // Lead fields sent with program members land on the lead, not on the membership: show only what is there.
    const columns = [...new Set(view.columns)].filter((c) => rows.some((row) => Object.hasOwn(row, c))).slice(0, 7);
    say();
    if (rows.length === 0) {
      say(`   ${view.title}: none`);
      continue;
    }
    say(`   ${view.title}, first ${rows.length}:`);
    say(table(rows, columns));
  }
}

/** Every file below `folder`, by path. */
function filesIn(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesIn(full) : [full];
  });
}

/** Where the rejected records went, and the first lines of each file. */
function showRejects(folder, kept) {
  const files = filesIn(folder);
  say();
  if (files.length === 0) return say('5. Rejected records: none');
  say(`5. Rejected records (object_storage_config {"storage_type": "Local"}), in ${folder}${kept ? '' : ' (removed at the end of the demo; keep them with --rejects DIR)'}:`);
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    say(`   ${path.relative(folder, file)}: ${lines.length - 1} row(s)`);
    for (const line of lines.slice(0, 3)) say(`     ${line.length > 160 ? `${line.slice(0, 157)}...` : line}`);
  }
}

async function main() {
  const connector = options.connector ? [path.resolve(options.connector)] : [process.execPath, path.join(repoRoot, 'dist/main.js')];
  const connectorShown = options.connector ? shown(connector[0]) : `node ${shown(connector[1])}`;
  for (const file of [connector.at(-1), options.emulator]) {
    if (!existsSync(file)) throw new Error(`${shown(file)} does not exist: run \`npm run build\` first (\`npm run demo\` does)`);
  }
  const config = readJson(options.config);
  const catalog = readJson(options.catalog);
  const input = readFileSync(options.messages);
  const expected = new ExpectedStates(input.toString('utf8').split('\n'));
  const records = input.toString('utf8').split('\n').filter((line) => line.includes('"RECORD"')).length;

  say('destination-marketo-bulk demo');
  say('1. Starting the Marketo emulator');
  const emulator = await startEmulator(options.emulator, EMULATOR_ARGS);
  const work = mkdtempSync(path.join(tmpdir(), 'marketo-bulk-demo-'));
  try {
    say(`   listening on ${emulator.url}`);
    const configFile = path.join(work, 'config.json');
    const rejects = path.resolve(options.rejects ?? path.join(work, 'rejects'));
    const storage = config.object_storage_config ?? { storage_type: 'Local', path: rejects, format: { format_type: 'CSV', flattening: 'No flattening' } };
    writeFileSync(configFile, JSON.stringify({ ...config, base_url: emulator.url, object_storage_config: storage }, null, 2));
    const args = ['write', '--config', configFile, '--catalog', path.resolve(options.catalog)];
    say(`2. Piping ${shown(options.messages)} (${number(records)} records, ${expected.total} states) through`);
    say(`     ${connectorShown} write --config <${shown(options.config)} with base_url ${emulator.url}> --catalog ${shown(options.catalog)}`);
    say("   Its progress and summary go to stderr; its stdout (Airbyte messages only) is shown here:");
    const result = await runWrite(connector, args, input, expected);
    say();
    const problems = [...result.problems];
    if (expected.missing > 0) problems.push(`${expected.missing} input state(s) were not echoed`);
    const exit = result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
    say(`3. The connector finished with ${exit}: ${result.echoed} of ${expected.total} states echoed` +
      (problems.length === 0 ? ', each unchanged apart from its destinationStats.' : '.'));
    for (const problem of problems) say(`   !! ${problem}`);
    if (result.code !== 0) {
      say('   The sync failed: see the TRACE and LOG messages above.');
      return result.code;
    }
    await showStore(emulator.url, config, catalog);
    if (storage.storage_type === 'Local') showRejects(storage.path, options.rejects !== undefined);
    return problems.length === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await emulator.stop();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
