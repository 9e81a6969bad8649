import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { buildSpec } from '../../src/config/spec.js';
import { ConnectorError } from '../../src/protocol/errors.js';
import { secretPaths } from '../../src/protocol/redact.js';

const minimal = { munchkin_id: '123-ABC-456', client_id: 'id', client_secret: 'secret' };
const s3 = { storage_type: 'S3', s3_bucket_name: 'rejects', s3_bucket_region: 'eu-west-1', bucket_path: 'marketo', format: { format_type: 'CSV' } };

const storageOf = (object_storage_config: unknown) => parseConfig({ ...minimal, object_storage_config }).object_storage_config;

describe('object_storage_config', () => {
  test('defaults to None', () => {
    expect(parseConfig(minimal).object_storage_config).toEqual({ storage_type: 'None' });
  });

  test('S3 fills flattening, compression and both formats with Airbyte’s defaults', () => {
    expect(storageOf(s3)).toEqual({
      ...s3,
      format: { format_type: 'CSV', flattening: 'No flattening' },
      compression: { compression_type: 'No Compression' },
      path_format: '{sync_id}/{namespace}/{stream_name}/',
      file_name_format: '{date}_{timestamp}_{part_number}{format_extension}',
    });
    expect(storageOf({ ...s3, s3_bucket_region: '', format: { format_type: 'JSONL', flattening: 'Root level flattening' }, compression: { compression_type: 'GZIP' } })).toMatchObject({
      format: { format_type: 'JSONL', flattening: 'Root level flattening' },
      compression: { compression_type: 'GZIP' },
    });
  });

  test('Local takes a folder and the same formats', () => {
    expect(storageOf({ storage_type: 'Local', path: '/tmp/rejects' })).toMatchObject({ path: '/tmp/rejects', format: { format_type: 'CSV', flattening: 'No flattening' } });
  });

  test.each([
    [{ ...s3, s3_bucket_region: 'mars-1' }, 'object_storage_config.s3_bucket_region'],
    [{ ...s3, format: undefined }, 'object_storage_config.format'],
    [{ ...s3, bucket_path: undefined }, 'object_storage_config.bucket_path'],
    [{ ...s3, s3_bucket_name: undefined }, 'object_storage_config.s3_bucket_name'],
    [{ ...s3, format: { format_type: 'Parquet' } }, 'object_storage_config.format.format_type'],
    [{ ...s3, format: { format_type: 'CSV', flattening: 'Deep' } }, 'object_storage_config.format.flattening'],
    [{ storage_type: 'GCS' }, 'object_storage_config.storage_type'],
  ])('names the path of each problem (%#)', (storage, path) => {
    try {
      storageOf(storage);
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectorError);
      expect((error as ConnectorError).message).toContain(path);
      return;
    }
    throw new Error('expected a config error');
  });

  test('the spec declares the contract: required keys, the prefix title, and both keys as secrets', () => {
    const spec = buildSpec().connectionSpecification as { properties: Record<string, { oneOf: { properties: Record<string, { title?: string }>; required: string[] }[] }> };
    const [none, s3Variant] = spec.properties.object_storage_config!.oneOf;
    expect(none!.required).toEqual(['storage_type']);
    expect(s3Variant!.required.sort()).toEqual(['bucket_path', 'format', 's3_bucket_name', 's3_bucket_region', 'storage_type']);
    expect(s3Variant!.properties.bucket_path!.title).toBe('Prefix Path in the Bucket');
    expect(Object.keys(s3Variant!.properties).sort()).toEqual(
      ['access_key_id', 'bucket_path', 'compression', 'file_name_format', 'format', 'path_format', 'role_arn', 's3_bucket_name', 's3_bucket_region', 's3_endpoint', 'secret_access_key', 'storage_type'],
    );
    expect(secretPaths(spec)).toEqual(expect.arrayContaining([
      ['object_storage_config', 'access_key_id'],
      ['object_storage_config', 'secret_access_key'],
    ]));
  });
});
