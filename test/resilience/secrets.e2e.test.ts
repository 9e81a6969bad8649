import { afterEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, tempJson, type CliResult } from '../helpers/cli.js';
import { leaksOf } from '../helpers/secrets.js';
import { emulatorConfig, withMessages } from '../helpers/sync.js';
import { Dataset } from './dataset.js';
import { syncDataset, type SyncOptions } from './run.js';

// The client secret and every access token never reach stdout or stderr, in any scenario: logs, retries whose
// Marketo answers quote them, TRACE messages and their stack traces, the config echoed by --debug, failed checks.
// Each scenario runs with a sentinel secret, and all output is scanned for it and for every token the emulator issued.

const SENTINEL = 'S3ntinel+Secret/Value=42!';
const REDACTED = '**********';
/** A space, the characters form encoding escapes and encodeURIComponent does not, +/=&%, quotes, non-ASCII. */
const TRICKY = `Tr1cky secret '~()!* +/=&% "quoted" \\ é€😀`;

const TRICKY_ASCII_JSON = JSON.stringify(TRICKY)
  .slice(1, -1)
  .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

let emulator: Emulator;
afterEach(async () => {
  await emulator.close();
});

const dataset = new Dataset({ contacts: 30, cars: 20, attendees: 10, stateEvery: 10 });
const secretConfig = { client_secret: SENTINEL };


function expectNothingLeaked(result: CliResult): void {
  const output = result.stdout + result.stderr;
  const tokens = emulator.issuedTokens();
  expect(tokens.length).toBeGreaterThan(0);
  expect(leaksOf(output, [SENTINEL, TRICKY, ...tokens])).toEqual([]);
  expect(emulator.violations()).toEqual([]);
}

/** A sync with the sentinel secret and --debug; `afterFirstState` gets the token in use at the first state. */
async function secretSync(options: SyncOptions & { afterFirstState?: (token: string) => void } = {}) {
  let injected = false;
  return syncDataset(emulator, dataset, {
    ...options,
    config: { ...secretConfig, ...options.config },
    args: ['--debug'],
    onMessage: (message, child) => {
      if (message.type === 'STATE' && !injected) {
        injected = true;
        options.afterFirstState?.(emulator.issuedTokens().at(-1)!);
      }
      options.onMessage?.(message, child);
    },
  });
}

test('a sync with short-lived tokens, retries whose answers quote the secret and the token, and the debug config echo', async () => {
  emulator = await startEmulator({ clientSecret: SENTINEL, tokenLifetimeSeconds: 1 });
  // Gateways and proxies may echo the request: the identity call's form body, or the Authorization header.
  emulator.faults.inject({ kind: 'http', status: 500, path: '/identity/oauth/token', body: `bad request: client_secret=${encodeURIComponent(SENTINEL)}` });
  emulator.faults.inject({ kind: 'http', status: 502, path: /^\/bulk\//, body: `upstream rejected client_secret ${SENTINEL}` });
  const result = await secretSync({
    afterFirstState: (token) => {
      emulator.faults.expireTokens(); // a second token for the scan
      emulator.faults.inject({ kind: 'http', status: 503, path: /^\/bulk\//, body: `Authorization: Bearer ${token}` });
      emulator.faults.inject({ kind: 'marketo', code: '611', path: /^\/bulk\//, message: `System error handling ${token}` });
    },
  });
  expect(result.code).toBe(0);
  expect(emulator.issuedTokens().length).toBeGreaterThanOrEqual(2);
  // The scans below are meaningful: the quoting answers were logged, with the secrets masked.
  const warns = result.logs.filter((l) => l.level === 'WARN').map((l) => l.message);
  expect(warns.filter((w) => w.includes(REDACTED)).length).toBeGreaterThanOrEqual(3);
  expect(result.logs.some((l) => l.level === 'DEBUG' && l.message.startsWith('Config: ') && l.message.includes(REDACTED))).toBe(true);
  expectNothingLeaked(result);
});

test('a sync that fails on an answer quoting the token: TRACE message and stack trace are masked', async () => {
  emulator = await startEmulator({ clientSecret: SENTINEL });
  const result = await secretSync({
    afterFirstState: (token) =>
      emulator.faults.inject({ kind: 'marketo', code: '1003', path: /^\/bulk\//, message: `Token ${token} may not import for ${SENTINEL}` }),
  });
  expect(result.code).toBe(1);
  const error = (result.traces[0] as { error: { message: string; stack_trace: string } }).error;
  expect(error.message).toContain(`Token ${REDACTED} may not import for ${REDACTED}`);
  expect(error.stack_trace).toContain(REDACTED);
  expectNothingLeaked(result);
});

test('a wrong secret in the config is masked too (it is the config’s airbyte_secret)', async () => {
  emulator = await startEmulator({ clientSecret: SENTINEL });
  const wrong = 'Wrong-Secret-Sentinel-7';
  const result = await syncDataset(emulator, dataset, { config: { client_secret: wrong }, args: ['--debug'] });
  expect(result.code).toBe(1);
  expect((result.traces[0] as { error: { failure_type: string } }).error.failure_type).toBe('config_error');
  expect(leaksOf(result.stdout + result.stderr, [wrong, SENTINEL])).toEqual([]);
});

test('check, with --debug, and a failing describe call whose answer quotes the token', async () => {
  emulator = await startEmulator({ clientSecret: SENTINEL });
  const config = tempJson(emulatorConfig(emulator, { ...dataset.fixture.config, ...secretConfig }), 'config.json');
  const ok = withMessages(await runCli(['check', '--config', config, '--debug']));
  expect(ok.messages.at(-1)).toEqual({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } });
  expectNothingLeaked(ok);

  const token = emulator.issuedTokens().at(-1)!;
  emulator.faults.inject({ kind: 'marketo', code: '603', path: '/rest/v1/leads/describe2.json', message: `Access denied for ${token}` });
  const denied = withMessages(await runCli(['check', '--config', config, '--debug']));
  expect(denied.messages.at(-1)).toMatchObject({ type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED' } });
  expectNothingLeaked(denied);
});

test('a secret with characters that form encoding escapes, echoed in the identity call’s own encoding and as JSON', async () => {
  emulator = await startEmulator({ clientSecret: TRICKY });
  const path = '/identity/oauth/token';
  // A gateway quotes the form body as received; another quotes it JSON-escaped; a third quotes the decoded secret.
  emulator.faults.inject({ kind: 'http', status: 500, path, body: 'bad request: {request}', echo: 'raw' });
  emulator.faults.inject({ kind: 'http', status: 502, path, body: '{"message":"upstream refused","request":"{request}"}', echo: 'json' });
  emulator.faults.inject({ kind: 'http', status: 503, path, body: `{"client_secret":${JSON.stringify(TRICKY)},"ascii":"${TRICKY_ASCII_JSON}"}` });
  const result = await syncDataset(emulator, dataset, { config: { client_secret: TRICKY }, args: ['--debug'] });
  expect(result.code).toBe(0);
  const warns = result.logs.filter((l) => l.level === 'WARN' && l.message.includes(path)).map((l) => l.message);
  expect(warns).toHaveLength(3);
  for (const warn of warns) expect(warn).toContain(REDACTED);
  // The JSON echo is longer than the 200 characters an error keeps of a body: the secret was cut, and still masked.
  expect(warns.some((warn) => warn.includes(`client_secret=${REDACTED}…`))).toBe(true);
  expectNothingLeaked(result);
});

test('a wrong secret of the same kind, quoted back by the identity endpoint in its 401, is masked in the TRACE', async () => {
  emulator = await startEmulator({ clientSecret: SENTINEL });
  const wrong = `${TRICKY} wrong`;
  emulator.faults.inject({
    kind: 'http',
    status: 401,
    path: '/identity/oauth/token',
    body: '{"error":"invalid_client","error_description":"Bad client credentials in {request}"}',
    echo: 'json',
  });
  const result = await syncDataset(emulator, dataset, { config: { client_secret: wrong }, args: ['--debug'] });
  expect(result.code).toBe(1);
  const error = (result.traces[0] as { error: { failure_type: string; message: string } }).error;
  expect(error.failure_type).toBe('config_error');
  expect(error.message).toContain(`client_secret=${REDACTED}`);
  expect(leaksOf(result.stdout + result.stderr, [wrong, TRICKY])).toEqual([]);
});
