import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultSeed, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { call, errorCode, getToken, resultOf, openEmulator, swaggerConformance } from './helpers.js';

const swagger = swaggerConformance();

let emulator: Emulator;
let token: string;
// The Swagger envelope, so that every answer can be validated against the SPEC (fidelity.test.ts covers the DOCS one).
beforeEach(async () => ({ emulator, token } = await openEmulator({ envelope: 'swagger' })));
afterEach(() => emulator.close());

const get = (path: string) => call(emulator, path, { token });

describe('describe endpoints', () => {
  test('describe2 lists the seeded lead fields, with lookup-capable fields as searchableFields', async () => {
    const res = await get('/rest/v1/leads/describe2.json');
    swagger.operation('mapi', 'get', '/rest/v1/leads/describe2.json')(res.json);
    const lead = resultOf(res);
    expect(lead.name).toBe('API Lead');
    expect(lead.searchableFields).toEqual([['id'], ['email'], ['loyaltyId'], ['accountNumber']]);
    const fields = lead.fields as { name: string }[];
    expect(fields.map((f) => f.name)).toEqual(defaultSeed.leadFields.map((f) => f.name));
    expect(fields.find((f) => f.name === 'id')).toEqual({ name: 'id', displayName: 'Id', dataType: 'integer', updateable: false, crmManaged: false });
    expect(fields.find((f) => f.name === 'email')).toMatchObject({ dataType: 'email', length: 255, updateable: true });
  });

  test('custom objects are listed (optionally by name) and described with their dedupe fields', async () => {
    const list = await get('/rest/v1/customobjects.json');
    swagger.operation('mapi', 'get', '/rest/v1/customobjects.json')(list.json);
    expect((list.json as { result: { name: string }[] }).result.map((o) => o.name)).toEqual(['car_c', 'subscription_c']);
    const filtered = await get('/rest/v1/customobjects.json?names=subscription_c');
    expect((filtered.json as { result: { name: string }[] }).result.map((o) => o.name)).toEqual(['subscription_c']);

    const car = await get('/rest/v1/customobjects/car_c/describe.json');
    swagger.operation('mapi', 'get', '/rest/v1/customobjects/{customObjectName}/describe.json')(car.json);
    expect(resultOf(car)).toMatchObject({
      apiName: 'car_c',
      idField: 'marketoGUID',
      dedupeFields: ['vin'],
      searchableFields: [['vin'], ['marketoGUID']],
      relationships: [{ field: 'ownerEmail', relatedTo: { name: 'Lead', field: 'email' } }],
    });
    expect((resultOf(car).fields as { name: string; dataType: string }[]).find((f) => f.name === 'year')).toMatchObject({ dataType: 'integer' });
    expect(errorCode(await get('/rest/v1/customobjects/boat_c/describe.json'))).toBe('1013');
  });

  test('program members describe lists the member fields', async () => {
    const res = await get('/rest/v1/programs/members/describe.json');
    swagger.operation('mapi', 'get', '/rest/v1/programs/members/describe.json')(res.json);
    expect(resultOf(res)).toMatchObject({ name: 'API Program Member', dedupeFields: ['leadId', 'programId'] });
    expect((resultOf(res).fields as { name: string }[]).map((f) => f.name)).toContain('registrationCode');
  });

  test('a seed replaces the default lists', async () => {
    const seeded = await startEmulator({
      seed: { leadFields: [{ name: 'id', displayName: 'Id', dataType: 'integer', updateable: false, lookup: true }, { name: 'email', displayName: 'Email', dataType: 'email' }] },
    });
    try {
      const res = await call(seeded, '/rest/v1/leads/describe2.json', { token: await getToken(seeded) });
      expect((resultOf(res).fields as { name: string }[]).map((f) => f.name)).toEqual(['id', 'email']);
    } finally {
      await seeded.close();
    }
    await expect(startEmulator({ seed: { leadFields: [] } })).rejects.toThrow(/must declare a 'id' field/);
  });
});

describe('asset API', () => {
  test('a program by id, in the asset shape', async () => {
    const res = await get('/rest/asset/v1/program/1001.json');
    expect(res.json).toMatchObject({ success: true, errors: [], warnings: [] });
    expect(resultOf(res)).toMatchObject({ id: 1001, name: 'Webinar 2026', type: 'Event', channel: 'Webinar', folder: { type: 'Folder' }, workspace: 'Default' });
  });

  test('an unknown program is a success with the "no assets" warning and no result', async () => {
    const res = await get('/rest/asset/v1/program/4242.json');
    expect(res.json).toEqual({ requestId: expect.any(String), success: true, errors: [], warnings: ['No assets found for the given search criteria.'] });
  });

  test("a program's statuses are discoverable through its channel", async () => {
    const program = resultOf(await get('/rest/asset/v1/program/1002.json'));
    const channel = resultOf(await get(`/rest/asset/v1/channel/byName.json?name=${encodeURIComponent(String(program.channel))}`));
    expect(channel).toMatchObject({ name: 'Email Newsletter', applicableProgramType: 'program' });
    expect(channel.progressionStatuses).toEqual([
      { name: 'Not in Program', step: 0, description: null, hidden: false, success: false, type: 'inactive' },
      { name: 'Member', step: 10, description: null, hidden: false, success: false, type: 'member' },
      { name: 'Subscribed', step: 20, description: null, hidden: false, success: true, type: 'success' },
    ]);
    const all = await get('/rest/asset/v1/channels.json');
    expect((all.json as { result: unknown[] }).result).toHaveLength(2);
    expect((await get('/rest/asset/v1/channel/byName.json?name=Nope')).json).toMatchObject({ warnings: ['No assets found for the given search criteria.'] });
  });

  test('describe and asset calls need a token like every API call', async () => {
    expect(errorCode(await call(emulator, '/rest/asset/v1/program/1001.json'))).toBe('603');
  });
});

describe('routing', () => {
  test('an unknown path is 610 and a wrong method 605', async () => {
    expect(errorCode(await get('/rest/v1/nothing.json'))).toBe('610');
    expect(errorCode(await call(emulator, '/rest/v1/leads/describe2.json', { method: 'POST', token }))).toBe('605');
  });
});

swagger.test();
