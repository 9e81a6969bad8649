import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseConfig, baseUrlOf, unknownKeysWarning } from '../../src/config/load.js';
import { unknownConfigKeys } from '../../src/config/unknown-keys.js';
import { buildSpec } from '../../src/config/spec.js';
import { ConnectorError } from '../../src/protocol/errors.js';

const minimal = { munchkin_id: '123-ABC-456', client_id: 'id', client_secret: 'secret' };

function configErrorOf(raw: unknown): ConnectorError {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    return error as ConnectorError;
  }
  throw new Error('expected a config error');
}

describe('parseConfig', () => {
  test('applies every default, nested groups included', () => {
    const config = parseConfig(minimal);
    expect(config.file_format).toBe('csv');
    expect(config.stream_mappings).toEqual([]);
    expect(config.batching).toEqual({ max_file_bytes: 10_000_000, max_jobs_in_flight: 4, flush_interval_seconds: 600 });
    expect(config.polling).toEqual({ initial_interval_seconds: 5, max_interval_seconds: 30, job_timeout_minutes: 360 });
    expect(config.rate_limit).toEqual({ calls_per_20_seconds: 50, max_concurrent_calls: 5 });
    expect(config.retry.max_attempts).toBe(8);
    expect(config.naive_datetime_time_zone).toBe('UTC');
  });

  test('naive_datetime_time_zone takes IANA zone names and refuses anything else, naming the key', () => {
    expect(parseConfig({ ...minimal, naive_datetime_time_zone: 'America/Chicago' }).naive_datetime_time_zone).toBe('America/Chicago');
    const error = configErrorOf({ ...minimal, naive_datetime_time_zone: 'Mars/Olympus_Mons' });
    expect(error.failureType).toBe('config_error');
    expect(error.message).toMatch(/not an IANA time zone name[^]*at naive_datetime_time_zone/);
  });

  test('defaults lookup_field to email and keeps the three object types', () => {
    const config = parseConfig({
      ...minimal,
      stream_mappings: [
        { stream: 'people', object: { type: 'leads' } },
        { stream: 'cars', object: { type: 'custom_object', api_name: 'car_c' } },
        { stream: 'attendees', object: { type: 'program_members', program_id: 1001, program_member_status: 'Attended' } },
      ],
    });
    expect(config.stream_mappings[0]!.object).toEqual({ type: 'leads', lookup_field: 'email' });
    expect(config.stream_mappings[2]!.object).toMatchObject({ program_id: 1001 });
  });

  test('base_url replaces the munchkin id, and the default base URL is built from it', () => {
    expect(baseUrlOf(parseConfig(minimal))).toBe('https://123-ABC-456.mktorest.com');
    const { munchkin_id: _, ...rest } = minimal;
    expect(baseUrlOf(parseConfig({ ...rest, base_url: 'http://127.0.0.1:8787/' }))).toBe('http://127.0.0.1:8787');
  });

  test.each([
    [{ ...minimal, munchkin_id: '123-abc-456' }, 'munchkin_id'],
    [{ client_id: 'id', client_secret: 's' }, 'munchkin_id is required unless base_url is given'],
    [{ ...minimal, batching: { max_file_bytes: 20_000_000 } }, 'batching.max_file_bytes'],
    [{ ...minimal, batching: { max_file_bytes: 1000 } }, 'batching.max_file_bytes'],
    [{ ...minimal, batching: { max_jobs_in_flight: 11 } }, 'batching.max_jobs_in_flight'],
    [{ ...minimal, polling: { initial_interval_seconds: 0.001 } }, 'polling.initial_interval_seconds'],
    [{ ...minimal, rate_limit: { calls_per_20_seconds: 101 } }, 'rate_limit.calls_per_20_seconds'],
    [{ ...minimal, file_format: 'xlsx' }, 'file_format'],
    [{ ...minimal, stream_mappings: [{ stream: 's', object: { type: 'custom_object' } }] }, 'stream_mappings[0].object.api_name'],
    [{ ...minimal, client_secret: undefined }, 'client_secret'],
  ])('names the path of each problem (%#)', (raw, path) => {
    const error = configErrorOf(raw);
    expect(error.failureType).toBe('config_error');
    expect(error.message).toContain(path);
  });
});

describe('unknown config keys', () => {
  test('are named by their path, array indices included, at every level and in each object type', () => {
    const raw = {
      ...minimal,
      colour: 'blue',
      batching: { max_jobs_in_fligth: 3, max_file_bytes: 2000 },
      stream_mappings: [
        { stream: 's', object: { type: 'leads', lookupField: 'email' }, field_mappings: [{ from: 'a', to: 'b', too: 1 }] },
        { stream: 't', object: { type: 'custom_object', api_name: 'car_c', lookup_field: 'vin' }, extra: true },
        { stream: 'u', object: { type: 'program_members', program_id: 1, program_member_status: 'Attended', list_id: 'x' } },
      ],
    };
    expect(unknownConfigKeys(raw)).toEqual([
      'colour',
      'batching.max_jobs_in_fligth',
      'stream_mappings[0].object.lookupField',
      'stream_mappings[0].field_mappings[0].too',
      'stream_mappings[1].object.lookup_field',
      'stream_mappings[1].extra',
      'stream_mappings[2].object.list_id',
    ]);
    expect(parseConfig(raw).batching.max_jobs_in_flight).toBe(4); // ignored, not an error
  });

  test('are looked for in an object whose values are invalid too', () => {
    expect(unknownConfigKeys({ stream_mappings: [{ object: { type: 'leads', list_id: 'x', lookupfield: 'id' } }], retry: 7 })).toEqual([
      'stream_mappings[0].object.lookupfield',
    ]);
  });

  test('none in a config with every known key, and no warning then', () => {
    expect(unknownConfigKeys({ ...minimal, base_url: 'http://127.0.0.1', file_format: 'tsv', batching: {}, polling: {}, rate_limit: {}, retry: {} })).toEqual([]);
    expect(unknownKeysWarning(minimal)).toBeUndefined();
  });

  test('are warned about once, before the config is validated', () => {
    const warnings: string[] = [];
    expect(() => parseConfig({ client_id: 'x', client_secert: 'y' }, (m) => warnings.push(m))).toThrow(/client_secret/);
    expect(warnings).toEqual([
      "Unknown config key, ignored: client_secert. A typo? The README's configuration table lists every key.",
    ]);
  });
});

describe('spec', () => {
  test('spec.json is generated from the schema and up to date (run `npm run spec`)', () => {
    const onDisk = JSON.parse(readFileSync(new URL('../../spec.json', import.meta.url), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(buildSpec())));
  });

  test('marks the secret, does not require defaulted fields, and lists the upsert modes', () => {
    const spec = buildSpec() as {
      connectionSpecification: { required: string[]; properties: Record<string, Record<string, unknown>> };
      supported_destination_sync_modes: string[];
    };
    const { properties, required } = spec.connectionSpecification;
    expect(properties.client_secret!.airbyte_secret).toBe(true);
    expect(required.sort()).toEqual(['client_id', 'client_secret']);
    expect(properties.munchkin_id!.pattern).toBe('^[0-9]{3}-[A-Z]{3}-[0-9]{3}$');
    expect(properties.munchkin_id!.examples).toEqual(['123-ABC-456']);
    expect(typeof properties.client_id!.order).toBe('number');
    expect(spec.supported_destination_sync_modes).toEqual(['append', 'append_dedup']);
  });
});

describe('README configuration reference', () => {
  test('is generated from the schema and up to date (run `npm run spec`)', async () => {
    const { configReference } = await import('../../src/config/reference.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(configReference());
  });

  test('lists every key with its default and limits', async () => {
    const { configReference } = await import('../../src/config/reference.js');
    const table = configReference();
    expect(table).toContain('| `batching.max_file_bytes` | integer |  | `10000000` | ≥ 1024; ≤ 10000000 |');
    expect(table).toContain('| `client_secret` | string | yes |  | secret |');
  });
});
