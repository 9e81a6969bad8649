import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MarketoClient, type ClientOptions } from '../../src/marketo/client.js';
import { DescribeApi } from '../../src/marketo/describe.js';
import { InvalidCredentialsError, MarketoError } from '../../src/marketo/errors.js';
import { emulatorClientOptions } from '../helpers/client.js';

let emulator: Emulator;
let client: MarketoClient;
const tokens: string[] = [];

function open(options: Partial<ClientOptions> = {}): MarketoClient {
  client = new MarketoClient(emulatorClientOptions(emulator, { onToken: (t) => tokens.push(t), ...options }));
  return client;
}

const identityCalls = () => emulator.timeline.filter((e) => e.kind === 'request' && e.path === '/identity/oauth/token').length;
const apiRequests = () => emulator.timeline.filter((e) => e.kind === 'request' && e.path !== '/identity/oauth/token');

beforeEach(async () => {
  tokens.length = 0;
  emulator = await startEmulator();
});
afterEach(async () => {
  await client?.close();
  await emulator.close();
});

describe('MarketoClient over HTTP', () => {
  test('caches the token, sends it only as a Bearer header, and counts API calls', async () => {
    const describe = new DescribeApi(open());
    await describe.leads();
    await describe.customObject('car_c');
    await describe.program('1001');
    expect(identityCalls()).toBe(1);
    expect(tokens).toHaveLength(1);
    expect(emulator.issuedTokens()).toEqual(tokens);
    expect(apiRequests().every((e) => e.kind === 'request' && e.auth === 'ok')).toBe(true);
    expect(emulator.violations()).toEqual([]);
    expect(client.apiCalls).toBe(apiRequests().length);
  });

  test('renews the token before it runs out', async () => {
    await emulator.close();
    let now = 1_000_000;
    emulator = await startEmulator({ tokenLifetimeSeconds: 100, clock: { now: () => now } });
    const describe = new DescribeApi(open({ now: () => now }));
    await describe.leads();
    now += 60_000; // 40 s left, more than a quarter of the lifetime: reused
    await describe.leads();
    expect(identityCalls()).toBe(1);
    now += 30_000; // 10 s left: renewed before use (Marketo answers with the same token and its remaining life)
    await describe.leads();
    expect(identityCalls()).toBe(2);
    expect(apiRequests().every((e) => e.kind === 'request' && e.auth === 'ok')).toBe(true);
  });

  test('602 then 601: a new token and one retry', async () => {
    const describe = new DescribeApi(open());
    await describe.leads();
    emulator.faults.expireTokens();
    await describe.leads();
    const auth = apiRequests().map((e) => (e.kind === 'request' ? e.auth : ''));
    expect(auth).toEqual(['ok', 'expired', 'ok']);
    expect(identityCalls()).toBe(2);
  });

  test('a token that expires again after a later transient error is renewed again', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '602', path: /describe2/ });
    emulator.faults.inject({ kind: 'http', status: 502, path: /describe2/ });
    emulator.faults.inject({ kind: 'marketo', code: '602', path: /describe2/ });
    await new DescribeApi(open()).leads();
    const outcomes = apiRequests().map((e) => (e.kind === 'request' ? (e.code ?? String(e.status)) : ''));
    expect(outcomes).toEqual(['602', '502', '602', '200']);
  });

  test('a wrong secret is a clear invalid client id/secret error', async () => {
    await expect(open({ clientSecret: 'wrong' }).authenticate()).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(client.authenticate()).rejects.toThrow(/client id\/secret/);
  });

  test('the error envelope becomes a typed error with the Marketo code', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '610', path: /describe2/ });
    const error = await new DescribeApi(open()).leads().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoError);
    expect(error).toMatchObject({ code: '610', kind: 'config', machineCode: 'MARKETO_CONFIG' });
  });

  test('transient errors are retried with backoff, up to max_attempts', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '604', path: /describe2/, times: 2 });
    const retries: number[] = [];
    await new DescribeApi(open({ onRetry: (_, attempt) => retries.push(attempt) })).leads();
    expect(retries).toEqual([1, 2]);
    emulator.faults.inject({ kind: 'http', status: 502, path: /describe2/, times: 5 });
    const error = await new DescribeApi(client).leads().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'retry', httpStatus: 502 });
    expect((error as Error).message).toMatch(/gave up after 3 attempts/);
  });
});
