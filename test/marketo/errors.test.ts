import { describe, expect, test } from 'vitest';
import { toConnectorError } from '../../src/marketo/connector-errors.js';
import { MarketoError, kindOfCode } from '../../src/marketo/errors.js';

describe('error taxonomy', () => {
  test.each([
    [['502', '604', '608', '611', '614', '713', '719'], 'retry'],
    [['606', '615'], 'throttle'],
    [['607'], 'quota'],
    [['601', '602'], 'refresh'],
    [['1016'], 'queue_full'],
    [['603', '1006', '1009', '1010', '1008', '610'], 'config'],
    [['609', '1003', '999'], 'fatal'],
  ])('codes %j are %s', (codes, kind) => {
    for (const code of codes) expect(kindOfCode(code)).toBe(kind);
  });

  test('each kind becomes the failure type the issue asks for, naming the stream and object', () => {
    const ctx = { stream: 'cars', object: 'custom object car_c' };
    const config = toConnectorError(MarketoError.fromEnvelope('1006', "Field 'colour' not found", '/bulk'), ctx);
    expect(config.failureType).toBe('config_error');
    expect(config.message).toContain('stream "cars"');
    expect(config.message).toContain('custom object car_c');
    expect(config.message).toContain("Field 'colour' not found");
    const quota = toConnectorError(MarketoError.fromEnvelope('607', 'Daily quota reached', '/bulk'));
    expect(quota.failureType).toBe('transient_error');
    expect(quota.message).toMatch(/midnight US Central time/);
    expect(toConnectorError(MarketoError.fromHttp(503, '/bulk', '')).failureType).toBe('transient_error');
    const other = toConnectorError(MarketoError.fromEnvelope('609', 'Invalid JSON', '/bulk'));
    expect(other.failureType).toBe('system_error');
    expect(other.message).toContain('Invalid JSON');
  });

  test('errors carry stable machine codes', () => {
    expect(MarketoError.fromEnvelope('1016', 'x', '/p').machineCode).toBe('MARKETO_QUEUE_FULL');
    expect(MarketoError.fromEnvelope('606', 'x', '/p').machineCode).toBe('MARKETO_RATE_LIMIT');
  });
});
