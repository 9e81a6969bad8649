import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, ManualClock, swaggerConformance } from './helpers.js';

const CREDENTIALS = 'grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret';
const swagger = swaggerConformance();
const identitySchema = {
  get: swagger.operation('identity', 'get', '/identity/oauth/token'),
  post: swagger.operation('identity', 'post', '/identity/oauth/token'),
};

let clock: ManualClock;
let emulator: Emulator;
beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startEmulator({ clock, tokenLifetimeSeconds: 100 });
});
afterEach(() => emulator.close());

describe('identity', () => {
  test('GET with credentials in the query string returns a bearer token matching the Swagger', async () => {
    const res = await call(emulator, `/identity/oauth/token?${CREDENTIALS}`);
    expect(res.status).toBe(200);
    identitySchema.get(res.json);
    // The whole seconds strictly left: a new token of 100 s answers 99, as the DOCS' 3600 s token answers 3599.
    expect(res.json).toMatchObject({ token_type: 'bearer', expires_in: 99, scope: expect.any(String) });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('POST accepts the credentials in the query or in a form body', async () => {
    const inQuery = await call(emulator, `/identity/oauth/token?${CREDENTIALS}`, { method: 'POST' });
    const inBody = await call(emulator, '/identity/oauth/token', {
      method: 'POST',
      body: CREDENTIALS,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    identitySchema.post(inQuery.json);
    identitySchema.post(inBody.json);
    expect(inBody.json).toEqual(inQuery.json);
  });

  test('reuses the token while it lives, with expires_in counting down, then issues a new one', async () => {
    const first = await call(emulator, `/identity/oauth/token?${CREDENTIALS}`);
    clock.advance(40_000);
    const again = await call(emulator, `/identity/oauth/token?${CREDENTIALS}`);
    expect(again.json).toMatchObject({ access_token: (first.json as { access_token: string }).access_token, expires_in: 59 });
    clock.advance(60_000);
    const renewed = await call(emulator, `/identity/oauth/token?${CREDENTIALS}`);
    expect(renewed.json).toMatchObject({ expires_in: 99 });
    expect((renewed.json as { access_token: string }).access_token).not.toBe((first.json as { access_token: string }).access_token);
    expect(emulator.issuedTokens()).toHaveLength(2);
  });

  test('bad credentials get HTTP 401 with an OAuth error body', async () => {
    const badSecret = await call(emulator, '/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=nope');
    expect(badSecret.status).toBe(401);
    expect(badSecret.json).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
    const badId = await call(emulator, '/identity/oauth/token?grant_type=client_credentials&client_id=who&client_secret=x');
    expect(badId.status).toBe(401);
    expect(badId.json).toMatchObject({ error: 'unauthorized' });
    expect(emulator.issuedTokens()).toHaveLength(0);
  });

  test('a missing or unsupported grant type is a 400', async () => {
    const missing = await call(emulator, '/identity/oauth/token?client_id=emulator-client-id&client_secret=emulator-client-secret');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: 'invalid_request' });
    const password = await call(emulator, '/identity/oauth/token?grant_type=password&client_id=emulator-client-id&client_secret=x');
    expect(password.json).toMatchObject({ error: 'unsupported_grant_type' });
  });

  test('uses the configured credentials', async () => {
    const custom = await startEmulator({ clientId: 'id-1', clientSecret: 's-1' });
    try {
      const ok = await call(custom, '/identity/oauth/token?grant_type=client_credentials&client_id=id-1&client_secret=s-1');
      expect(ok.status).toBe(200);
    } finally {
      await custom.close();
    }
  });

  test('identity calls are recorded but not counted against the rate limit', async () => {
    emulator.configure({ rateLimit: { calls: 1, windowSeconds: 20 } });
    for (let i = 0; i < 3; i++) expect((await call(emulator, `/identity/oauth/token?${CREDENTIALS}`)).status).toBe(200);
    const token = (await call(emulator, `/identity/oauth/token?${CREDENTIALS}`)).json as { access_token: string };
    const describe = await call(emulator, '/rest/v1/leads/describe2.json', { token: token.access_token });
    expect(describe.json).toMatchObject({ success: true });
    expect(emulator.timeline.filter((e) => e.kind === 'request' && e.auth === 'not-required')).toHaveLength(4);
  });
});

swagger.test();
