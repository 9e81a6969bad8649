import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Emulator, type JobView, type TimelineEntry } from '../../src/emulator/index.js';
import { call, errorCode, getToken, ManualClock, resultOf, upload, openEmulator } from './helpers.js';

let clock: ManualClock;
let emulator: Emulator;
let token: string;
beforeEach(async () => {
  clock = new ManualClock();
  ({ emulator, token } = await openEmulator({ clock }));
});
afterEach(() => emulator.close());

const control = (path: string, body?: unknown, method: 'GET' | 'POST' | 'DELETE' = body === undefined ? 'GET' : 'POST') =>
  call(emulator, `/_emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });

const importLeads = (csv: string) => upload(emulator, '/bulk/v1/leads.json?format=csv', { token, csv });

describe('control API over HTTP', () => {
  test('the store, jobs and timeline are readable', async () => {
    await importLeads('email,firstName\na@x.co,Ann\nb@x.co,Bo\n');
    await upload(emulator, '/bulk/v1/customobjects/car_c/import.json?format=csv', { token, csv: 'vin\nV1\n' });
    await upload(emulator, '/bulk/v1/program/1001/members/import.json?format=csv&programMemberStatus=Invited', { token, csv: 'email\na@x.co\n' });
    expect((await control('/store')).json).toEqual({ leads: 2, customObjects: { car_c: 1, subscription_c: 0 }, programMembers: 1 });
    expect((await control('/store/leads?offset=1&limit=1')).json).toEqual([expect.objectContaining({ email: 'b@x.co' })]);
    expect((await control('/store/customobjects/car_c')).json).toEqual([expect.objectContaining({ vin: 'V1' })]);
    expect((await control('/store/programmembers?programId=1001')).json).toEqual([expect.objectContaining({ email: 'a@x.co', statusName: 'Invited' })]);
    expect((await control('/store/customobjects/boat_c')).status).toBe(400);
    const jobs = (await control('/jobs')).json as JobView[];
    expect(jobs.map((j) => [j.object, j.status])).toEqual([
      ['leads', 'Complete'],
      ['customObjects', 'Complete'],
      ['programMembers', 'Complete'],
    ]);
    const timeline = (await control('/timeline')).json as TimelineEntry[];
    expect(timeline).toEqual(JSON.parse(JSON.stringify(emulator.timeline)));
    expect((await control(`/timeline?since=${timeline.length - 1}`)).json).toEqual([timeline.at(-1)]);
    expect((await control('/tokens')).json).toEqual([token]);
  });

  test('control requests are neither recorded nor limited', async () => {
    emulator.configure({ rateLimit: { calls: 1, windowSeconds: 20 } });
    for (let i = 0; i < 5; i++) expect((await control('/jobs')).status).toBe(200);
    expect(emulator.timeline.filter((e) => e.kind === 'request' && e.path.startsWith('/_emulator'))).toEqual([]);
  });

  test('faults are scripted with a path pattern and a count, and cleared', async () => {
    expect((await control('/faults', { kind: 'marketo', code: '604', pathPattern: 'leads\\.json$', method: 'POST', times: 2 })).json).toEqual({ id: 1 });
    expect(errorCode(await importLeads('email\na@x.co\n'))).toBe('604');
    expect(errorCode(await importLeads('email\na@x.co\n'))).toBe('604');
    expect(resultOf(await importLeads('email\na@x.co\n'))).toMatchObject({ status: 'Queued' });
    await control('/faults', { kind: 'http', status: 502, times: 'always' });
    expect((await call(emulator, '/rest/v1/leads/describe2.json', { token })).status).toBe(502);
    await control('/faults', undefined, 'DELETE');
    expect((await call(emulator, '/rest/v1/leads/describe2.json', { token })).status).toBe(200);
  });

  test('job failures, foreign jobs, token expiry and the daily quota', async () => {
    await control('/faults/fail-job', { match: 'next', message: 'Import failed: file corrupt' });
    const failed = resultOf(await importLeads('email\na@x.co\n'));
    expect(resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(failed.batchId)}.json`, { token }))).toMatchObject({
      status: 'Failed',
      message: 'Import failed: file corrupt',
    });

    const foreign = (await control('/faults/foreign-jobs', { count: 10 })).json as { batchIds: number[] };
    expect(foreign.batchIds).toHaveLength(10);
    expect(errorCode(await importLeads('email\nb@x.co\n'))).toBe('1016');
    await control('/faults/foreign-jobs/release', {});
    expect(errorCode(await importLeads('email\nb@x.co\n'))).toBeUndefined();

    await control('/faults/expire-tokens', {});
    expect(errorCode(await call(emulator, '/rest/v1/leads/describe2.json', { token }))).toBe('602');
    token = await getToken(emulator);

    await control('/faults/daily-quota', { limit: 10, used: 10 });
    expect(errorCode(await call(emulator, '/rest/v1/leads/describe2.json', { token }))).toBe('607');
  });

  test('settings change at run time, including an infinite speed', async () => {
    expect((await control('/config', { rowsPerSecond: 1, jobLatencyMs: 0 })).status).toBe(200);
    const slow = resultOf(await importLeads('email\na@x.co\nb@x.co\n'));
    expect(resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(slow.batchId)}.json`, { token }))).toMatchObject({ status: 'Importing' });
    await control('/config', { rowsPerSecond: 'Infinity' });
    const fast = resultOf(await importLeads('email\nc@x.co\n'));
    expect(resultOf(await call(emulator, `/bulk/v1/leads/batch/${String(fast.batchId)}.json`, { token }))).toMatchObject({ status: 'Complete' });
  });

  test('the fidelity options and a failure at creation can be set over HTTP', async () => {
    expect((await control('/config', { envelope: 'swagger', createStatus: 'live', reportColumns: 'all', acceptFormToken: true })).status).toBe(200);
    await control('/faults/fail-job', { match: 'next', message: 'refused', atCreate: true });
    const refused = await importLeads('email\na@x.co\n');
    expect(refused.json).toMatchObject({ errors: [], warnings: [] });
    expect(resultOf(refused)).toMatchObject({ status: 'Failed', message: 'refused', numOfLeadsProcessed: 0 });
    expect(resultOf(await importLeads('email\nb@x.co\n'))).toMatchObject({ status: 'Importing' });
    expect((await control('/config', { envelope: 'spec' })).status).toBe(400);
  });

  test('bad requests get a 400 with the reason, unknown endpoints a 404', async () => {
    const bad = await control('/faults', { kind: 'marketo' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: expect.stringContaining('code') });
    expect((await control('/config', { port: 1 })).status).toBe(400);
    expect((await control('/config', { maxImporting: 0 })).status).toBe(400);
    const notJson = await call(emulator, '/_emulator/faults', { method: 'POST', body: '{not json' });
    expect(notJson).toMatchObject({ status: 400, json: { error: 'Body is not JSON' } });
    expect((await control('/nothing')).status).toBe(404);
  });
});
