// What a person meets first on the command line, through the built CLI: help, typos in the config, a catalog that
// lists a stream twice, and files or input that start with a UTF-8 BOM.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson } from '../helpers/cli.js';
import { emulatorConfig, expectedStates, loadFixture, runWrite, withMessages } from '../helpers/sync.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

type Json = Record<string, unknown>;
const fixture = loadFixture('duplicates');
const BOM = '\uFEFF';

describe('help', () => {
  test.each([[['--help']], [['-h']], [['help']]])('%j prints the usage on stdout and exits 0', async (argv) => {
    const result = await runCli(argv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        'Usage:',
        '  spec [--debug]',
        '  check --config <config.json> [--debug]',
        '  discover --config <config.json> [--debug]',
        '  write --config <config.json> --catalog <catalog.json> [--debug]',
        '  help | --help | -h',
        '',
        'Flags accept "--flag value" and "--flag=value".',
        '',
      ].join('\n'),
    );
  });

  test('an unknown command still prints the usage on stderr and exits 2', async () => {
    const result = await runCli(['hlep']);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^Unknown command "hlep"\.\n\nUsage:/);
  });
});

describe('unknown config keys', () => {
  const typos = { stream_mappings: [{ stream: 'contacts', object: { type: 'leads', lookupField: 'email' } }], batching: { max_jobs_in_fligth: 2 } };
  // In the order of the config file (the fixture's stream_mappings come before batching).
  const WARNING =
    "Unknown config keys, ignored: stream_mappings[0].object.lookupField, batching.max_jobs_in_fligth. A typo? The README's configuration table lists every key.";

  test('write logs one WARN naming every unknown key path, and syncs', async () => {
    const result = await runWrite(emulator, fixture, { config: typos });
    expect(result.code).toBe(0);
    expect(result.logs.filter((l) => l.level === 'WARN')).toEqual([{ level: 'WARN', message: WARNING }]);
    expect(result.states).toEqual(expectedStates(fixture.messages));
  });

  test('check names them in its SUCCEEDED message, and in a FAILED one after the problems', async () => {
    const run = async (config: Json) => {
      const result = withMessages(await runCli(['check', '--config', tempJson(emulatorConfig(emulator, config), 'config.json')]));
      expect(result.code).toBe(0);
      expect(result.logs.filter((l) => l.level === 'WARN')).toEqual([{ level: 'WARN', message: WARNING }]);
      return result.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus as Json;
    };
    expect(await run(typos)).toEqual({ status: 'SUCCEEDED', message: WARNING });
    const failed = await run({ ...typos, file_format: 'xlsx' });
    expect(failed.status).toBe('FAILED');
    expect(failed.message).toMatch(/^Invalid configuration:\n.*\n {2}→ at file_format\n/);
    expect(failed.message).toMatch(new RegExp(`\n${WARNING.replace(/[.*?()[\]]/g, '\\$&')}$`));
  });
});

test('a catalog that lists the same stream twice is a config_error naming it', async () => {
  const streams = (fixture.catalog.streams as Json[]).concat(fixture.catalog.streams as Json[]);
  const result = await runWrite(emulator, { ...fixture, catalog: { streams } });
  expect(result.code).toBe(1);
  expect(result.messages.map((m) => m.type)).toEqual(['TRACE']);
  const error = (result.traces[0] as { error: Json }).error;
  expect(error.failure_type).toBe('config_error');
  expect(error.message).toMatch(/is not a valid ConfiguredAirbyteCatalog:\n✖ the stream "contacts" is listed more than once\n {2}→ at streams\[1\]$/);
  expect(emulator.jobs()).toEqual([]);
});

test('a UTF-8 BOM at the start of the config file, the catalog file and stdin is skipped', async () => {
  const config = tempJson('', 'config.json');
  const catalog = tempJson('', 'catalog.json');
  writeFileSync(config, BOM + JSON.stringify(emulatorConfig(emulator, fixture.config)));
  writeFileSync(catalog, BOM + JSON.stringify(fixture.catalog));
  const result = withMessages(await runCli(['write', '--config', config, '--catalog', catalog], { stdin: BOM + fixture.messages }));
  expect(result.traces).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.states).toEqual(expectedStates(fixture.messages));
});
