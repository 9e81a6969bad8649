import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MarketoClient, type ClientOptions } from '../../src/marketo/client.js';
import { InvalidCredentialsError, MarketoError } from '../../src/marketo/errors.js';
import { emulatorClientOptions } from '../helpers/client.js';

// The client's retry policy, one call at a time against the in-process emulator.

let emulator: Emulator;
let client: MarketoClient;
let retries: { code?: string; status?: number }[];

beforeEach(async () => {
  emulator = await startEmulator();
  retries = [];
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

function open(options: Partial<ClientOptions> = {}): MarketoClient {
  client = new MarketoClient(
    emulatorClientOptions(emulator, {
      maxAttempts: 4,
      requestTimeoutMs: 1000,
      onRetry: (error) => retries.push({ code: error.code, status: error.httpStatus }),
      ...options,
    }),
  );
  return client;
}

const describeLeads = () => client.call({ method: 'GET', path: '/rest/v1/leads/describe2.json', schema: z.looseObject({ result: z.array(z.unknown()) }) });
const identityRequests = () => emulator.timeline.filter((e) => e.kind === 'request' && e.path === '/identity/oauth/token');

describe('identity endpoint faults', () => {
  test.each([
    ['a reset connection', { kind: 'reset' as const }],
    ['an HTTP 500', { kind: 'http' as const, status: 500 }],
    ['an HTTP 502 from the gateway', { kind: 'http' as const, status: 502 }],
  ])('%s while getting a token is retried like any call', async (_, fault) => {
    emulator.faults.inject({ ...fault, path: '/identity/oauth/token', times: 2 });
    open();
    const body = await describeLeads();
    expect(body.result.length).toBe(1);
    expect(identityRequests()).toHaveLength(3);
    expect(retries).toHaveLength(2);
  });

  test('gives up after max_attempts with a transient error naming the endpoint', async () => {
    emulator.faults.inject({ kind: 'http', status: 503, path: '/identity/oauth/token', times: Infinity });
    open({ maxAttempts: 3 });
    const error = await describeLeads().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketoError);
    expect((error as MarketoError).kind).toBe('retry');
    expect((error as MarketoError).message).toMatch(/HTTP 503 from Marketo \/identity\/oauth\/token.*gave up after 3 attempts/);
    expect(identityRequests()).toHaveLength(3);
  });

  test('a wrong client secret is not retried', async () => {
    open({ clientSecret: 'not-the-secret' });
    await expect(describeLeads()).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(identityRequests()).toHaveLength(1);
    expect(retries).toEqual([]);
  });
});

describe('token refresh (601, 602)', () => {
  test('an expired token (602) is replaced by a new one and the call is sent again', async () => {
    open();
    await describeLeads();
    emulator.faults.expireTokens();
    await describeLeads();
    expect(emulator.issuedTokens()).toHaveLength(2);
    const codes = emulator.timeline.flatMap((e) => (e.kind === 'request' && e.code ? [e.code] : []));
    expect(codes).toEqual(['602']);
    expect(retries).toEqual([]); // a refresh is not a retry: it costs no attempt
  });

  test('a call refused again right after the refresh fails instead of looping', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '601', path: '/rest/v1/leads/describe2.json', times: Infinity });
    open();
    const error = await describeLeads().catch((e: unknown) => e);
    expect((error as MarketoError).kind).toBe('refresh');
    expect((error as MarketoError).code).toBe('601');
    const calls = emulator.timeline.filter((e) => e.kind === 'request' && e.path === '/rest/v1/leads/describe2.json');
    expect(calls).toHaveLength(2);
    expect(identityRequests()).toHaveLength(2);
  });
});
