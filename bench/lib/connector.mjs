// One `write` of the connector against a running emulator, checked: exit 0, only Airbyte messages on stdout, every
// input state echoed, and every record in an import job. A figure from a broken run would be worse than none.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { catalog, config, expectedStates } from './data.mjs';
import { runNode } from './processes.mjs';

const SUMMARY = /Sync summary: (\d+) records, (\d+) files, (\d+) jobs, (\d+) imported, (\d+) rejected, \d+ warned, (\d+) API calls/;

/**
 * Runs `node dist/main.js write` on `messages` (`records` records) with the bench config plus `overrides`, on the
 * Node binary `node` (default: the bench's own). `nodeArgs` are passed to node, e.g. ['--cpu-prof', '--cpu-prof-dir', dir];
 * `env` is added to its environment.
 */
export async function runWrite({ mainJs, emulator, messages, records, overrides, nodeArgs = [], node, env }) {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-write-'));
  try {
    const configFile = path.join(work, 'config.json');
    const catalogFile = path.join(work, 'catalog.json');
    writeFileSync(configFile, JSON.stringify(config(emulator.url, overrides)));
    writeFileSync(catalogFile, JSON.stringify(catalog()));
    const run = await runNode(mainJs, ['write', '--config', configFile, '--catalog', catalogFile], { stdinFile: messages, nodeArgs, node, env });
    const output = checkOutput(run, records);
    const jobs = await emulator.get('/_emulator/jobs');
    const imported = jobs.reduce((sum, job) => sum + (job.status === 'Complete' ? job.processed : 0), 0);
    if (imported !== records) throw new Error(`the emulator imported ${imported} rows, expected ${records}`);
    return { wallMs: run.wallMs, usage: run.usage, summary: output.summary, jobs, timeline: await emulator.get('/_emulator/timeline') };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function checkOutput(run, records) {
  if (run.code !== 0) {
    throw new Error(`write exited with ${run.signal ?? `code ${run.code}`}:\n${tail(run.stdout)}\n${tail(run.stderr)}`);
  }
  let states = 0;
  let summary;
  for (const line of run.stdout.split('\n')) {
    if (line === '') continue;
    const message = airbyteMessage(line);
    if (message.type === 'STATE') states++;
    const match = message.type === 'LOG' ? SUMMARY.exec(message.log.message) : null;
    if (match) {
      const [records, files, jobs, imported, rejected, apiCalls] = match.slice(1).map(Number);
      summary = { records, files, jobs, imported, rejected, apiCalls };
    }
  }
  if (states !== expectedStates(records)) throw new Error(`write echoed ${states} states, expected ${expectedStates(records)}`);
  if (!summary || summary.records !== records || summary.imported !== records) {
    throw new Error(`unexpected summary for ${records} records: ${JSON.stringify(summary)}`);
  }
  return { summary };
}

function airbyteMessage(line) {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    message = undefined;
  }
  if (typeof message?.type !== 'string') throw new Error(`write printed something other than an Airbyte message: ${line.slice(0, 200)}`);
  return message;
}

function tail(text) {
  return text.split('\n').slice(-15).join('\n');
}
