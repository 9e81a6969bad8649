import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3StorageConfig } from '../config/object-storage.js';
import { StorageError, type StorageProblem, type StorageTarget, type StoredObject } from './storage-target.js';

/** lib-storage sends a file in parts of this size; S3's minimum is 5 MiB. One part is uploading while the next fills. */
const PART_BYTES = 5 * 1024 * 1024;
/** A call with no answer in this time fails (and is retried by the SDK). */
const REQUEST_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

export function s3ClientConfig(config: S3StorageConfig): S3ClientConfig {
  const keys =
    config.access_key_id && config.secret_access_key ? { accessKeyId: config.access_key_id, secretAccessKey: config.secret_access_key } : undefined;
  const credentials = config.role_arn
    ? fromTemporaryCredentials({ params: { RoleArn: config.role_arn, RoleSessionName: 'destination-marketo-bulk' }, ...(keys ? { masterCredentials: keys } : {}) })
    : keys;
  return {
    // S3-compatible stores without regions still need one to sign requests with.
    region: config.s3_bucket_region || 'us-east-1',
    ...(config.s3_endpoint ? { endpoint: config.s3_endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
}

/** What went wrong, in terms of what the user can do about it. */
function problemOf(error: unknown): StorageProblem {
  const name = error instanceof Error ? error.name : '';
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidClientTokenId', 'CredentialsProviderError', 'ExpiredToken'].includes(name)) return 'credentials';
  if (name === 'NoSuchBucket') return 'no_bucket';
  if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) return 'access_denied';
  if (status === undefined && !(error instanceof S3ServiceException)) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(code)) return 'unreachable';
    if (name === 'TimeoutError' || name === 'RequestTimeout') return 'unreachable';
  }
  return 'other';
}

export class S3Target implements StorageTarget {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly endpoint: string;

  constructor(config: S3StorageConfig) {
    this.client = new S3Client(s3ClientConfig(config));
    this.bucket = config.s3_bucket_name;
    this.endpoint = config.s3_endpoint || `the ${config.s3_bucket_region || 'default'} region of AWS S3`;
  }

  where(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  open(key: string): StoredObject {
    const body = new PassThrough();
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: key, Body: body }, partSize: PART_BYTES, queueSize: 1 });
    const stored = upload.done().then(
      () => undefined,
      (error: unknown) => {
        // Writers waiting for the body to drain must not wait for ever.
        body.destroy();
        throw this.toStorageError(error, `store ${this.where(key)}`);
      },
    );
    // Its failure is reported by whoever awaits `stored`; until then it must not crash the process.
    stored.catch(() => undefined);
    return { body, stored, abort: () => upload.abort().catch(() => undefined) };
  }

  async probe(): Promise<void> {
    const key = `_airbyte_connection_test_${randomUUID()}`;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: 'check' }));
    } catch (error) {
      throw this.toStorageError(error, `write a test object to s3://${this.bucket}`);
    }
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      throw this.toStorageError(error, `delete the test object ${this.where(key)}`);
    }
  }

  close(): void {
    this.client.destroy();
  }

  private toStorageError(error: unknown, action: string): StorageError {
    const problem = problemOf(error);
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const advice: Record<StorageProblem, string> = {
      credentials: 'The S3 key id or secret key is wrong: copy access_key_id and secret_access_key again.',
      no_bucket: `The bucket "${this.bucket}" does not exist: check s3_bucket_name (and s3_bucket_region / s3_endpoint).`,
      access_denied: `Access to the bucket "${this.bucket}" was denied: give the key (or role_arn) s3:PutObject, s3:AbortMultipartUpload and s3:DeleteObject on it.`,
      unreachable: `Cannot reach S3 at ${this.endpoint}: check s3_endpoint, DNS and outbound network access.`,
      other: 'S3 refused the request.',
    };
    return new StorageError(`Could not ${action}. ${advice[problem]} (${detail})`, problem, { cause: error });
  }
}
