import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, withMessages } from '../helpers/sync.js';
import { Dataset } from './dataset.js';
import { expectCompleteSync, expectStopped, syncDataset } from './run.js';

// Bad input is refused clearly: the TRACE names the line (or the file), the exit code is 1, the states printed before
// it are those of committed data, nothing follows it, and nothing after the bad line reaches Marketo.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator({ rowsPerSecond: 400 });
});
afterEach(async () => {
  await emulator.close();
});

const dataset = new Dataset({ contacts: 120, cars: 80, attendees: 200, stateEvery: 10, seed: 5 });
// One slow job at a time: reading stalls on back-pressure, so some jobs complete before the bad line is read.
const config = { batching: { max_file_bytes: 1024, max_jobs_in_flight: 1 }, polling: { initial_interval_seconds: 0.05, max_interval_seconds: 0.1 } };

/** The dataset with `extra` lines inserted before input line `at` (1-based), so that they get those line numbers. */
function inputWith(at: number, ...extra: string[]): string {
  const lines = dataset.text().split('\n');
  lines.splice(at - 1, 0, ...extra);
  return lines.join('\n');
}

const record = (stream: string, data: unknown) => JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: 1 } });
const BAD_AT = 350;

describe('a bad line on stdin stops the sync at that line', () => {
  test.each([
    ['not JSON', '{"type":"RECORD","record":', 'system_error', `Input line ${BAD_AT} is not valid JSON.`],
    ['a JSON array', '[1,2,3]', 'system_error', `Input line ${BAD_AT} is not a JSON object.`],
    ['a JSON string', '"RECORD"', 'system_error', `Input line ${BAD_AT} is not a JSON object.`],
    ['a RECORD whose data is an array', record('contacts', [1, 2]), 'system_error', `Input line ${BAD_AT} is a RECORD whose data is not a JSON object.`],
    ['a RECORD whose data is a string', record('contacts', 'c1@example.com'), 'system_error', `Input line ${BAD_AT} is a RECORD whose data is not a JSON object.`],
    ['a RECORD for a stream not in the catalog', record('boats', { name: 'x' }), 'config_error', `Line ${BAD_AT}: a RECORD for stream "boats", which is not in the configured catalog.`],
  ])('%s', async (_, line, failureType, expected) => {
    const result = await syncDataset(emulator, dataset, { config, stdin: inputWith(BAD_AT, line) });
    const { message } = expectStopped(result, dataset, failureType);
    expect(message.startsWith(expected), message).toBe(true);
    // Some states were printed before the TRACE, and nothing from the lines after the bad one was imported.
    expect(result.states.length).toBeGreaterThan(0);
    expect(dataset.importedFrom(emulator, BAD_AT - 1)).toEqual([]);
  });
});

describe('messages a destination does not act on', () => {
  test('unknown types and TRACE, CONTROL and LOG from the source are ignored, with a DEBUG log naming the line', async () => {
    const extra = [
      JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'contacts' }, status: 'RUNNING' } } }),
      JSON.stringify({ type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: 1, connectorConfig: { config: {} } } }),
      JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'from the source' } }),
      JSON.stringify({ type: 'SOMETHING_NEW', payload: 1 }),
    ];
    const result = await syncDataset(emulator, dataset, { config, stdin: inputWith(50, ...extra), args: ['--debug'] });
    expectCompleteSync(result, dataset, emulator);
    const debug = result.logs.filter((l) => l.level === 'DEBUG').map((l) => l.message);
    expect(debug).toEqual(
      expect.arrayContaining(['TRACE', 'CONTROL', 'LOG', 'SOMETHING_NEW'].map((type, i) => `Ignoring ${type} message on line ${50 + i}`)),
    );
  });
});

describe('a config or catalog file that is missing or not JSON', () => {
  test.each([
    ['config', 'missing'],
    ['config', 'not JSON'],
    ['catalog', 'missing'],
    ['catalog', 'not JSON'],
  ])('%s file %s: config_error naming the file, exit 1', async (which, problem) => {
    const good = {
      config: tempJson(emulatorConfig(emulator, dataset.fixture.config), 'config.json'),
      catalog: tempJson(dataset.fixture.catalog, 'catalog.json'),
    };
    const bad = problem === 'missing' ? `/nonexistent/dir/${which}.json` : tempJson('{"client_id": "x", ', `${which}.json`);
    const files = { ...good, [which]: bad };
    const result = withMessages(await runCli(['write', '--config', files.config, '--catalog', files.catalog], { stdin: dataset.text() }));
    expect(result.code).toBe(1);
    expect(result.messages.map((m) => m.type)).toEqual(['TRACE']);
    const error = (result.traces[0] as { error: { failure_type: string; message: string } }).error;
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toContain(bad);
    expect(error.message).toMatch(problem === 'missing' ? /does not exist/ : /is not valid JSON/);
    expect(emulator.jobs()).toEqual([]);
  });
});
