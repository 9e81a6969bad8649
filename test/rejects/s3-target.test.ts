import { expect, test } from 'vitest';
import { ObjectStorage, type S3StorageConfig } from '../../src/config/object-storage.js';
import { s3ClientConfig } from '../../src/rejects/s3-target.js';

const s3 = (extra: Record<string, unknown>) =>
  ObjectStorage.parse({ storage_type: 'S3', s3_bucket_name: 'b', s3_bucket_region: 'eu-west-1', bucket_path: 'p', format: { format_type: 'CSV' }, ...extra }) as S3StorageConfig;

test('AWS: the bucket region, virtual-hosted addressing, the keys given', () => {
  const config = s3ClientConfig(s3({ access_key_id: 'AKIA', secret_access_key: 'secret' }));
  expect(config).toMatchObject({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIA', secretAccessKey: 'secret' } });
  expect(config).not.toHaveProperty('endpoint');
  expect(config).not.toHaveProperty('forcePathStyle');
});

test('an S3-compatible endpoint: path-style addressing, and a region to sign with when the store has none', () => {
  expect(s3ClientConfig(s3({ s3_bucket_region: '', s3_endpoint: 'http://127.0.0.1:9000' }))).toMatchObject({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
});

test('no keys: the environment’s credentials; role_arn: a provider that assumes the role', () => {
  expect(s3ClientConfig(s3({}))).not.toHaveProperty('credentials');
  expect(typeof s3ClientConfig(s3({ role_arn: 'arn:aws:iam::123456789012:role/r', access_key_id: 'AKIA', secret_access_key: 's' })).credentials).toBe('function');
});
