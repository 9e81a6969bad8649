import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { call, errorCode, ManualClock, resultOf, upload, type Answer, openEmulator, swaggerConformance } from './helpers.js';

const swagger = swaggerConformance();
const schema = {
  create: swagger.operation('mapi', 'post', '/bulk/v1/customobjects/{apiName}/import.json'),
  status: swagger.operation('mapi', 'get', '/bulk/v1/customobjects/{apiName}/import/{batchId}/status.json'),
};

let clock: ManualClock;
let emulator: Emulator;
let token: string;
beforeEach(async () => {
  clock = new ManualClock();
  // The Swagger envelope, so that every answer can be validated against the SPEC (fidelity.test.ts covers the DOCS one).
  ({ emulator, token } = await openEmulator({ clock, envelope: 'swagger' }));
});
afterEach(() => emulator.close());

const importCars = (csv: string, apiName = 'car_c'): Promise<Answer> =>
  upload(emulator, `/bulk/v1/customobjects/${apiName}/import.json?format=csv`, { token, csv });

async function status(batchId: unknown, apiName = 'car_c'): Promise<Answer> {
  const res = await call(emulator, `/bulk/v1/customobjects/${apiName}/import/${String(batchId)}/status.json`, { token });
  schema.status(res.json);
  return res;
}

describe('bulk custom object import', () => {
  test('create answers Queued with objectApiName and no importId, matching the Swagger', async () => {
    const res = await importCars('vin,make\nV1,bmw\n');
    schema.create(res.json);
    expect(resultOf(res)).toMatchObject({ status: 'Queued', objectApiName: 'car_c', operation: 'import' });
    expect(resultOf(res)).not.toHaveProperty('importId');
  });

  test('records are upserted by the dedupe field; status reports counters, importTime and message', async () => {
    clock.advance(1);
    const csv = 'vin,make,model,color,year,purchaseDate,ownerEmail\nV1,bmw,320i,red,2019,2020-02-01,ann@x.co\nV2,vw,golf,blue,2018,2019-01-01,bo@x.co\nV1,bmw,330i,black,2020,2021-03-01,ann@x.co\n';
    const { batchId } = resultOf(await importCars(csv));
    expect(resultOf(await status(batchId))).toEqual({
      batchId,
      operation: 'import',
      status: 'Complete',
      objectApiName: 'car_c',
      numOfObjectsProcessed: 3,
      numOfRowsFailed: 0,
      numOfRowsWithWarning: 0,
      importTime: '1 second(s)',
      message: 'Import succeeded, 3 records imported (3 members)',
    });
    const cars = emulator.store.customObjects('car_c');
    expect(cars).toHaveLength(2);
    expect(cars[0]).toMatchObject({ vin: 'V1', model: '330i', color: 'black', year: 2020, marketoGUID: expect.any(String) });
  });

  test('a row without its dedupe value fails with missing.dedupe.fields; a decimal year fails its type', async () => {
    const { batchId } = resultOf(await importCars('vin,make,year\n,bmw,2019\nV9,audi,2019.5\nV8,kia,2020\n'));
    expect(resultOf(await status(batchId))).toMatchObject({
      numOfObjectsProcessed: 1,
      numOfRowsFailed: 2,
      message: 'Import completed with errors, 1 records imported (1 members), 2 failed',
    });
    const failures = await call(emulator, `/bulk/v1/customobjects/car_c/import/${String(batchId)}/failures.json`, { token });
    expect(parse(failures.text, { columns: true })).toEqual([
      { vin: '', make: 'bmw', year: '2019', 'Import Failure Reason': 'missing.dedupe.fields' },
      { vin: 'V9', make: 'audi', year: '2019.5', 'Import Failure Reason': 'Invalid data type in field Year' },
    ]);
  });

  test('a header without the dedupe column fails every row', async () => {
    const { batchId } = resultOf(await importCars('make,model\nbmw,x1\nvw,up\n'));
    expect(resultOf(await status(batchId))).toMatchObject({ numOfObjectsProcessed: 0, numOfRowsFailed: 2 });
  });

  test('an invalid email in an email field is a warning; the record is imported', async () => {
    const { batchId } = resultOf(await importCars('vin,ownerEmail\nV5,nobody\n'));
    expect(resultOf(await status(batchId))).toMatchObject({ numOfObjectsProcessed: 1, numOfRowsWithWarning: 1 });
    const warnings = await call(emulator, `/bulk/v1/customobjects/car_c/import/${String(batchId)}/warnings.json`, { token });
    expect(parse(warnings.text)).toEqual([
      ['vin', 'ownerEmail', 'Import Warning Reason'],
      ['V5', 'nobody', 'Invalid email address'],
    ]);
  });

  test('the second seeded object works too', async () => {
    const { batchId } = resultOf(await importCars('subscriptionId,plan,seats,active\nS-1,pro,5,true\n', 'subscription_c'));
    await status(batchId, 'subscription_c');
    expect(emulator.store.customObjects('subscription_c')).toEqual([expect.objectContaining({ subscriptionId: 'S-1', seats: 5, active: true })]);
  });

  test('an unknown column beside the dedupe field is 1006, and an unknown object 1013', async () => {
    expect(await importCars('vin,colour\nV1,red\n')).toMatchObject({ json: { errors: [{ code: '1006', message: "Field 'colour' not found" }] } });
    expect(errorCode(await importCars('vin\nV1\n', 'boat_c'))).toBe('1013');
  });

  test('a batch is only found under its own object', async () => {
    const { batchId } = resultOf(await importCars('vin\nV1\n'));
    expect(errorCode(await call(emulator, `/bulk/v1/customobjects/subscription_c/import/${String(batchId)}/status.json`, { token }))).toBe('1003');
    expect(errorCode(await call(emulator, `/bulk/v1/leads/batch/${String(batchId)}.json`, { token }))).toBe('1003');
  });
});

swagger.test();
