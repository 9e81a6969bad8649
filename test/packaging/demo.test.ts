import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot, tempJson } from '../helpers/cli.js';

// Runs scripts/demo.mjs against the built connector and emulator (`npm test` builds first).
const demo = path.join(repoRoot, 'scripts/demo.mjs');
const examples = path.join(repoRoot, 'examples');

interface DemoResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runDemo(args: string[] = []): Promise<DemoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [demo, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An executable standing in for the connector: a Node script that reads stdin, then runs `body`. */
function fakeConnector(body: string): string {
  const file = tempJson(
    `#!${process.execPath}\nlet input = '';\nprocess.stdin.on('data', (c) => (input += c)).on('end', () => {\n${body}\n});\n`,
    'connector.mjs',
  );
  chmodSync(file, 0o755);
  return file;
}

const exampleStates = readFileSync(path.join(examples, 'messages.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.includes('"STATE"'))
  .map((line) => (JSON.parse(line) as { state: { id: number } }).state);

describe.concurrent('npm run demo (scripts/demo.mjs)', () => {
  test('loads the examples into the emulator, echoes every state, shows the store and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(code).toBe(0);
    const echoedIds = [...stdout.matchAll(/^ {2}STATE #(\d+) /gm)].map((m) => Number(m[1]));
    expect(echoedIds.sort((a, b) => a - b)).toEqual(exampleStates.map((s) => s.id).sort((a, b) => a - b));
    expect(stdout).toContain(`${exampleStates.length} of ${exampleStates.length} states echoed, each unchanged`);
    // The planted edge cases: one warning, two rows Marketo fails.
    expect(stdout).toMatch(/imported with a warning: Invalid email address/);
    expect(stdout).toMatch(/failed in Marketo: Value for lookup field 'email' not found/);
    expect(stdout).toMatch(/failed in Marketo: missing\.dedupe\.fields/);
    expect(stdout).toMatch(/In the emulator's store: [\d,]+ leads, 899 car_c records, 600 program members/);
    for (const title of ['Leads (stream crm_contacts)', 'Custom object car_c (stream vehicles)', 'Members of program 1001 (stream webinar_registrations)']) {
      expect(stdout).toContain(`${title}, first 5:`);
    }
    expect(stdout).toMatch(/^ {2}vin +make +model/m);
    // The rows Marketo failed went to the rejected records folder, one CSV file per stream.
    expect(stdout).toMatch(/5\. Rejected records \(object_storage_config \{"storage_type": "Local"\}\), in \S+ \(removed at the end/);
    expect(stdout).toMatch(/^ {3}no_sync_id\/crm_contacts\/\d{4}_\d\d_\d\d_\d+_0\.csv: 1 row\(s\)$/m);
    expect(stdout).toMatch(/^ {3}no_sync_id\/vehicles\/\d{4}_\d\d_\d\d_\d+_0\.csv: 1 row\(s\)$/m);
    expect(stdout).toContain('_airbyte_raw_id,_airbyte_extracted_at,_airbyte_generation_id,_airbyte_meta,_airbyte_data');
    // The connector's own summary comes through on stderr.
    expect(stderr).toContain('destination-marketo-bulk summary');
    expect(stderr).toMatch(/rows rejected +2\b/);
  });

  test('exits with the connector’s code when the sync fails, and says so', async () => {
    const config = JSON.parse(readFileSync(path.join(examples, 'config.json'), 'utf8')) as Record<string, unknown>;
    const { code, stdout } = await runDemo(['--config', tempJson({ ...config, client_secret: 'not-the-emulator-secret' })]);
    expect(code).not.toBe(0);
    expect(stdout).toMatch(/^ {2}TRACE ERROR /m);
    expect(stdout).toContain(`0 of ${exampleStates.length} states echoed`);
    expect(stdout).toContain('The sync failed');
    expect(stdout).not.toContain("In the emulator's store");
  });

  test('exits 1 when the connector writes a line that is not an Airbyte message to stdout', async () => {
    const connector = fakeConnector(`
      for (const line of input.split('\\n')) if (line.includes('"STATE"')) console.log(line);
      console.log('loaded everything!');`);
    const { code, stdout } = await runDemo(['--connector', connector]);
    expect(code).toBe(1);
    expect(stdout).toContain('!! not an Airbyte message: loaded everything!');
  });

  test('exits 1 when a state is changed or missing', async () => {
    const connector = fakeConnector(`
      const states = input.split('\\n').filter((line) => line.includes('"STATE"')).map((line) => JSON.parse(line));
      states[0].state.stream.stream_state = { cursor: 'changed' };
      for (const message of states.slice(0, -1)) console.log(JSON.stringify(message));`);
    const { code, stdout } = await runDemo(['--connector', connector]);
    expect(code).toBe(1);
    expect(stdout).toContain("!! a state that is not one of the input's");
    // The changed one and the one never sent.
    expect(stdout).toContain('!! 2 input state(s) were not echoed');
  });
});
