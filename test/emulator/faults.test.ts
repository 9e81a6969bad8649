import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call, errorCode, resultOf, upload, openEmulator } from './helpers.js';

const DESCRIBE = '/rest/v1/leads/describe2.json';
const UPLOAD = '/bulk/v1/leads.json';
let emulator: Emulator;
let token: string;
beforeEach(async () => ({ emulator, token } = await openEmulator()));
afterEach(() => emulator.close());

const importLeads = () => upload(emulator, `${UPLOAD}?format=csv`, { token, csv: 'email\nf@x.co\n' });
const requests = () => emulator.timeline.filter((e) => e.kind === 'request');

describe('scripted faults', () => {
  test('a Marketo error code for the next N matching requests, then normal service', async () => {
    emulator.faults.inject({ path: /\/bulk\/v1\/leads\.json$/, method: 'POST', kind: 'marketo', code: '604', times: 2 });
    expect(await importLeads()).toMatchObject({ status: 200, json: { success: false, errors: [{ code: '604', message: 'Request timed out' }] } });
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined(); // does not match
    expect(errorCode(await importLeads())).toBe('604');
    expect(resultOf(await importLeads())).toMatchObject({ status: 'Queued' });
    expect(emulator.jobs()).toHaveLength(1);
    expect(requests().filter((e) => e.fault === 'marketo').map((e) => [e.code, e.auth])).toEqual([
      ['604', 'not-checked'],
      ['604', 'not-checked'],
    ]);
  });

  test('611 with a custom message', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '611', message: 'System error: database' });
    expect((await call(emulator, DESCRIBE, { token })).json).toMatchObject({ errors: [{ code: '611', message: 'System error: database' }] });
  });

  test('HTTP 502 and 500 from the gateway', async () => {
    emulator.faults.inject({ kind: 'http', status: 502 });
    emulator.faults.inject({ kind: 'http', status: 500, body: 'oops' });
    const bad = await call(emulator, DESCRIBE, { token });
    expect(bad.status).toBe(502);
    expect(bad.headers['content-type']).toBe('text/html');
    expect(await call(emulator, DESCRIBE, { token })).toMatchObject({ status: 500, text: 'oops' });
    expect((await call(emulator, DESCRIBE, { token })).status).toBe(200);
  });

  test('an error that quotes the request body, as received or JSON-escaped', async () => {
    const body = 'grant_type=client_credentials&client_secret=a+b%22"\\';
    const token = '/identity/oauth/token';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    emulator.faults.inject({ kind: 'http', status: 500, path: token, body: 'bad request: {request}', echo: 'raw' });
    emulator.faults.inject({ kind: 'http', status: 401, path: token, body: '{"error":"invalid_client","error_description":"{request}"}', echo: 'json' });
    expect(await call(emulator, token, { method: 'POST', headers: form, body })).toMatchObject({ status: 500, text: `bad request: ${body}` });
    const json = await call(emulator, token, { method: 'POST', headers: form, body });
    expect(JSON.parse(json.text)).toEqual({ error: 'invalid_client', error_description: body });
  });

  test('a connection reset gets no response at all', async () => {
    emulator.faults.inject({ kind: 'reset', path: DESCRIBE });
    await expect(call(emulator, DESCRIBE, { token })).rejects.toThrow();
    expect(requests().at(-1)).toMatchObject({ fault: 'reset', path: DESCRIBE });
    expect(requests().at(-1)).not.toHaveProperty('status');
    expect((await call(emulator, DESCRIBE, { token })).status).toBe(200);
  });

  test('a reset after handling: the job was created but the client never heard of it', async () => {
    emulator.faults.inject({ kind: 'reset', path: UPLOAD, afterHandling: true });
    await expect(importLeads()).rejects.toThrow();
    expect(emulator.jobs()).toHaveLength(1);
    expect(requests().at(-1)).toMatchObject({ fault: 'reset', batchId: emulator.jobs()[0]?.batchId });
  });

  test('a slow response arrives after the delay, with normal content', async () => {
    emulator.faults.inject({ kind: 'slow', delayMs: 150 });
    const started = performance.now();
    const res = await call(emulator, DESCRIBE, { token });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.json).toMatchObject({ success: true });
    const entry = requests().at(-1);
    expect((entry?.endedAt ?? 0) - (entry?.at ?? 0)).toBeGreaterThanOrEqual(140);
  });

  test('a delayed Marketo error, like a real 604 after its timeout', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '604', delayMs: 100 });
    const started = performance.now();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('604');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  test('faults can apply to every match, and be cancelled or cleared', async () => {
    const always = emulator.faults.inject({ kind: 'marketo', code: '608', path: DESCRIBE, times: Infinity });
    for (let i = 0; i < 3; i++) expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('608');
    always.cancel();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    emulator.faults.inject({ kind: 'marketo', code: '608', times: Infinity });
    emulator.faults.clear();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
  });

  test('faults can hit the identity endpoint, and never the control API', async () => {
    emulator.faults.inject({ kind: 'http', status: 502, times: Infinity });
    const identity = await call(emulator, '/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret');
    expect(identity.status).toBe(502);
    expect((await call(emulator, '/_emulator/jobs')).status).toBe(200);
  });

  test('a method filter restricts the fault', async () => {
    emulator.faults.inject({ kind: 'marketo', code: '611', method: 'post' });
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    expect(errorCode(await importLeads())).toBe('611');
  });
});
