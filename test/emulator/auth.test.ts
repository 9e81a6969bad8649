import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, errorCode, getToken, ManualClock, upload } from './helpers.js';

const DESCRIBE = '/rest/v1/leads/describe2.json';
let clock: ManualClock;
let emulator: Emulator;
beforeEach(async () => {
  clock = new ManualClock();
  emulator = await startEmulator({ clock, tokenLifetimeSeconds: 60 });
});
afterEach(() => emulator.close());

const lastAuth = () => emulator.timeline.filter((e) => e.kind === 'request').at(-1);

describe('authentication of API calls', () => {
  test('a call without an Authorization header is refused with 603 (HTTP 200, success:false)', async () => {
    const res = await call(emulator, DESCRIBE);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
    expect(res.json).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f]+#[0-9a-f]+$/) });
    expect(lastAuth()).toMatchObject({ auth: 'missing', code: '603' });
  });

  test('the missing-token code can be 601 instead', async () => {
    emulator.configure({ missingTokenCode: '601' });
    expect(errorCode(await call(emulator, DESCRIBE))).toBe('601');
  });

  test('an unknown token is 601', async () => {
    const res = await call(emulator, DESCRIBE, { token: 'not-a-token' });
    expect(res.json).toMatchObject({ errors: [{ code: '601', message: 'Access token invalid' }] });
    expect(lastAuth()).toMatchObject({ auth: 'invalid' });
  });

  test('a valid Bearer token is accepted', async () => {
    const res = await call(emulator, DESCRIBE, { token: await getToken(emulator) });
    expect(res.json).toMatchObject({ success: true });
    expect(lastAuth()).toMatchObject({ auth: 'ok', status: 200 });
  });

  test('an expired token gives 602 on first use, then 601', async () => {
    const token = await getToken(emulator);
    clock.advance(60_000);
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('602');
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('601');
    const fresh = await getToken(emulator);
    expect(fresh).not.toBe(token);
    expect((await call(emulator, DESCRIBE, { token: fresh })).json).toMatchObject({ success: true });
  });

  test('faults.expireTokens() forces the expiry path', async () => {
    const token = await getToken(emulator);
    emulator.faults.expireTokens();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('602');
    expect(lastAuth()).toMatchObject({ auth: 'expired' });
  });

  test('a token in the query string is refused and recorded as a violation, even next to a valid header', async () => {
    const token = await getToken(emulator);
    const res = await call(emulator, `${DESCRIBE}?access_token=${token}`, { token });
    expect(errorCode(res)).toBe('603');
    expect(lastAuth()).toMatchObject({ auth: 'token-in-query' });
    expect(emulator.violations()).toEqual([`access_token sent as a query parameter: GET ${DESCRIBE}`]);
    // The timeline never keeps the query string, which held the token.
    expect(JSON.stringify(emulator.timeline)).not.toContain(token);
  });

  test('a token in a multipart form field is refused and recorded as a violation', async () => {
    const token = await getToken(emulator);
    const res = await upload(emulator, '/bulk/v1/leads.json', { csv: 'email\na@b.co\n', fields: { format: 'csv', access_token: token } });
    expect(errorCode(res)).toBe('603');
    expect(lastAuth()).toMatchObject({ auth: 'token-in-form' });
    expect(emulator.violations()).toEqual(['access_token sent as a form field: POST /bulk/v1/leads.json']);
    expect(emulator.jobs()).toHaveLength(0);
  });
});
