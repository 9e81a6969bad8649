import { describe, expect, it } from 'vitest';
import { messagesOf, type InputMessage } from '../../src/protocol/reader.js';
import { configError, transientError } from '../../src/protocol/errors.js';
import type { ConfiguredAirbyteCatalog } from '../../src/protocol/messages.js';
import {
  fakeDestination,
  onlyErrorTrace,
  runInProcess,
  SECRET,
  tempFile,
  testSpec,
  validCatalog,
  validConfig,
} from '../helpers/protocol-harness.js';

const configPath = () => tempFile(validConfig, 'config.json');
const catalogPath = () => tempFile(validCatalog, 'catalog.json');

describe('command line', () => {
  it.each([
    [['read']],
    [[]],
    [['check']],
    [['write', '--config', 'c.json']],
    [['spec', '--verbose']],
    [['check', '--config', 'c.json', 'extra']],
    [['discover', '--config', 'c.json']], // the fake destination has no discover()
  ])('prints usage on stderr and exits 2 for %j', async (argv) => {
    const run = await runInProcess(fakeDestination(), argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage:');
    expect(run.stderr).toContain('write --config <config.json> --catalog <catalog.json>');
  });

  it.each([[['--help']], [['-h']], [['help']], [['write', '--help']]])('prints usage on stdout and exits 0 for %j', async (argv) => {
    const run = await runInProcess(fakeDestination(), argv);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage:\n {2}spec \[--debug\]\n/);
    expect(run.stdout).toContain('write --config <config.json> --catalog <catalog.json>');
    expect(run.stdout).not.toContain('discover'); // the fake destination has no discover()
  });
});

describe('spec', () => {
  it('prints exactly one SPEC message', async () => {
    const run = await runInProcess(fakeDestination(), ['spec']);
    expect(run.code).toBe(0);
    expect(run.messages).toEqual([{ type: 'SPEC', spec: testSpec }]);
    expect(run.stderr).toBe('');
  });

  it('reports an invalid spec from the destination as a system_error', async () => {
    const run = await runInProcess(fakeDestination({ spec: () => ({ documentationUrl: 'x' }) }), ['spec']);
    expect(run.code).toBe(1);
    expect(onlyErrorTrace(run.messages)).toMatchObject({
      failure_type: 'system_error',
      message: "The destination's spec() returned an invalid result.",
    });
  });
});

describe('check', () => {
  it('passes the config to the destination and prints one CONNECTION_STATUS', async () => {
    let received: unknown;
    const destination = fakeDestination({
      check: async (config) => {
        received = config;
        return { status: 'SUCCEEDED' };
      },
    });
    const run = await runInProcess(destination, ['check', `--config=${configPath()}`]);
    expect(run.code).toBe(0);
    expect(received).toEqual(validConfig);
    expect(run.messages).toEqual([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
  });

  it('prints a FAILED status returned by the destination, and exits 0', async () => {
    const destination = fakeDestination({ check: async () => ({ status: 'FAILED', message: 'Wrong munchkin id.' }) });
    const run = await runInProcess(destination, ['check', '--config', configPath()]);
    expect(run.code).toBe(0);
    expect(run.messages).toEqual([
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'Wrong munchkin id.' } },
    ]);
  });

  it('turns a thrown config_error into FAILED with its message, and exits 0', async () => {
    const destination = fakeDestination({
      check: async () => {
        throw configError('The client secret is wrong.');
      },
    });
    const run = await runInProcess(destination, ['check', '--config', configPath()]);
    expect(run.code).toBe(0);
    expect(run.messages).toEqual([
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'The client secret is wrong.' } },
    ]);
  });

  it.each([
    ['a bug', new TypeError('cannot read x'), 'system_error'],
    ['a transient error', transientError('Marketo is down.'), 'transient_error'],
  ])('turns %s into a TRACE without a CONNECTION_STATUS, and exits 1', async (_, error, failureType) => {
    const destination = fakeDestination({
      check: async () => {
        throw error;
      },
    });
    const run = await runInProcess(destination, ['check', '--config', configPath()]);
    expect(run.code).toBe(1);
    expect(run.messages.map((m) => m.type)).toEqual(['TRACE']);
    expect(onlyErrorTrace(run.messages).failure_type).toBe(failureType);
  });

  it.each([
    ['missing', () => '/nonexistent/dir/config.json', 'Cannot read the config file /nonexistent/dir/config.json: it does not exist.'],
    ['not JSON', () => tempFile(`{"client_secret": "${SECRET}",`, 'broken.json'), 'is not valid JSON.'],
  ])('answers FAILED naming the file when the config file is %s, and exits 0', async (_, file, expected) => {
    const path = file();
    const run = await runInProcess(fakeDestination(), ['check', '--config', path]);
    expect(run.code).toBe(0);
    const [status] = run.messages;
    if (status?.type !== 'CONNECTION_STATUS') throw new Error('expected CONNECTION_STATUS');
    expect(status.connectionStatus.status).toBe('FAILED');
    expect(status.connectionStatus.message).toContain(path);
    expect(status.connectionStatus.message).toContain(expected);
    expect(run.stdout).not.toContain(SECRET);
  });
});

describe('discover', () => {
  const operations = [{ object_name: 'lead', sync_mode: 'append_dedup' as const, json_schema: { type: 'object' }, matching_keys: [['email']] }];

  it('prints one DESTINATION_CATALOG when the destination offers discover()', async () => {
    const destination = fakeDestination({ discover: async () => ({ operations }) });
    const run = await runInProcess(destination, ['discover', '--config', configPath()]);
    expect(run.code).toBe(0);
    expect(run.messages).toEqual([{ type: 'DESTINATION_CATALOG', destination_catalog: { operations } }]);
  });

  it('reports an invalid catalog from the destination as a system_error', async () => {
    const destination = fakeDestination({ discover: async () => ({ operations: [{ object_name: 'lead' }] }) as never });
    const run = await runInProcess(destination, ['discover', '--config', configPath()]);
    expect(run.code).toBe(1);
    expect(onlyErrorTrace(run.messages).failure_type).toBe('system_error');
  });
});

describe('write', () => {
  it('hands the parsed catalog and the input messages to the destination, which echoes states', async () => {
    const state = { type: 'STATE', state: { type: 'LEGACY', data: { cursor: 2 }, id: 77 } };
    const stdin = [
      JSON.stringify({ type: 'RECORD', record: { stream: 'leads', data: { email: 'a@b.c' }, emitted_at: 1 } }),
      JSON.stringify(state),
    ].join('\n');
    let catalogSeen: ConfiguredAirbyteCatalog | undefined;
    const seen: InputMessage['type'][] = [];
    const destination = fakeDestination({
      write: async (_config, catalog, input, ctx) => {
        catalogSeen = catalog;
        for await (const chunk of input) {
          for (const message of messagesOf(chunk)) {
            seen.push(message.type);
            if (message.type === 'STATE') await ctx.out.emit(message.message);
          }
        }
      },
    });
    const run = await runInProcess(destination, ['write', '--config', configPath(), '--catalog', catalogPath()], { stdin });
    expect(run.code).toBe(0);
    expect(catalogSeen).toEqual(validCatalog);
    expect(seen).toEqual(['RECORD', 'STATE']);
    expect(run.messages).toEqual([state]);
  });

  it.each([
    ['config', 'missing', (c: string) => ['--config', '/nope/config.json', '--catalog', c], '/nope/config.json'],
    ['catalog', 'missing', () => ['--config', configPath(), '--catalog', '/nope/catalog.json'], '/nope/catalog.json'],
    ['catalog', 'not JSON', () => ['--config', configPath(), '--catalog', tempFile('{', 'bad-catalog.json')], 'bad-catalog.json'],
  ])('fails with a config_error naming the %s file when it is %s', async (what, _, flags, named) => {
    const run = await runInProcess(fakeDestination(), ['write', ...flags(catalogPath())]);
    expect(run.code).toBe(1);
    const error = onlyErrorTrace(run.messages);
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toContain(named);
    expect(error.message).toContain(`${what} file`);
  });

  it('fails with a config_error naming the catalog file and the bad path when the catalog is invalid', async () => {
    const bad = tempFile({ streams: [{ stream: { json_schema: {} }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }, 'cat.json');
    const run = await runInProcess(fakeDestination(), ['write', '--config', configPath(), '--catalog', bad]);
    expect(run.code).toBe(1);
    const error = onlyErrorTrace(run.messages);
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toContain(bad);
    expect(error.message).toContain('streams[0].stream.name');
  });

  it.each([
    ['a config_error', configError('Field "foo" does not exist in Marketo.'), 'config_error', 'Field "foo" does not exist in Marketo.'],
    ['a transient_error', transientError('Marketo daily quota reached.'), 'transient_error', 'Marketo daily quota reached.'],
    ['a bug', new RangeError('bad index'), 'system_error', 'Something went wrong in the connector: bad index'],
  ])('reports %s thrown by write() as a TRACE with that failure type, and exits 1', async (_, error, failureType, message) => {
    const destination = fakeDestination({
      write: async () => {
        throw error;
      },
    });
    const run = await runInProcess(destination, ['write', '--config', configPath(), '--catalog', catalogPath()]);
    expect(run.code).toBe(1);
    expect(onlyErrorTrace(run.messages)).toMatchObject({ failure_type: failureType, message });
  });

  it('reports bad input lines as a system_error naming the line', async () => {
    const run = await runInProcess(fakeDestination(), ['write', '--config', configPath(), '--catalog', catalogPath()], {
      stdin: '\n{"type":"RECORD","record":{"stream":"leads","data":[],"emitted_at":1}}\n',
    });
    expect(run.code).toBe(1);
    expect(onlyErrorTrace(run.messages)).toMatchObject({
      failure_type: 'system_error',
      message: 'Input line 2 is a RECORD whose data is not a JSON object.',
    });
  });
});

describe('secrets', () => {
  const TOKEN = 'access-token-from-identity';

  it('never reach stdout or stderr: logs, errors, stack traces, added tokens, debug config echo', async () => {
    const destination = fakeDestination({
      write: async (config, _catalog, _input, ctx) => {
        const secret = (config as typeof validConfig).client_secret;
        ctx.redactor.add(TOKEN);
        ctx.out.log('INFO', `secret=${secret} token=${TOKEN}`);
        ctx.stderr.write(`stderr: ${secret} ${TOKEN}\n`);
        throw new Error(`request failed with ${secret} and ${TOKEN}`);
      },
    });
    const run = await runInProcess(destination, ['write', '--config', configPath(), '--catalog', catalogPath(), '--debug']);
    expect(run.code).toBe(1);
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(TOKEN);
    }
    expect(run.stderr).toBe('stderr: ********** **********\n');
    const [configEcho, log] = run.messages;
    expect(configEcho).toEqual({
      type: 'LOG',
      log: { level: 'DEBUG', message: 'Config: {"client_id":"the-client","client_secret":"**********"}' },
    });
    expect(log).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'secret=********** token=**********' } });
    const error = onlyErrorTrace(run.messages);
    expect(error.message).toBe('Something went wrong in the connector: request failed with ********** and **********');
    expect(error.stack_trace).toContain('request failed with ********** and **********');
  });

  it('does not echo the config without --debug', async () => {
    const run = await runInProcess(fakeDestination(), ['check', '--config', configPath()]);
    expect(run.messages.map((m) => m.type)).toEqual(['CONNECTION_STATUS']);
  });
});
