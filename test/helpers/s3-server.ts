import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { testTempDir } from './temp-dir.js';

/** s3rver accepts only these keys. */
export const S3_KEYS = { access_key_id: 'S3RVER', secret_access_key: 'S3RVER' };

/** A real S3-compatible server (s3rver) on loopback, with its own folder, removed by stop(). */
export class S3Server {
  private server: S3rver | undefined;
  readonly dir = testTempDir('dmb-s3-');
  port = 0;
  client!: S3Client;

  private constructor(private readonly buckets: string[]) {}

  static async start(buckets = ['rejects']): Promise<S3Server> {
    const s3 = new S3Server(buckets);
    await s3.run();
    s3.client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: S3_KEYS.access_key_id, secretAccessKey: S3_KEYS.secret_access_key },
    });
    return s3;
  }

  /** (Re)starts on the same port and folder: objects stored before an outage are kept. */
  async run(): Promise<void> {
    this.server = new S3rver({ port: this.port, address: '127.0.0.1', silent: true, directory: this.dir, configureBuckets: this.buckets.map((name) => ({ name, configs: [] })) });
    const { port } = await this.server.run();
    this.port = port;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** An `object_storage_config` for this server. */
  storage(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { storage_type: 'S3', ...S3_KEYS, s3_bucket_name: 'rejects', s3_bucket_region: '', s3_endpoint: this.endpoint, bucket_path: 'marketo', format: { format_type: 'CSV' }, ...extra };
  }

  /** Stops serving (an outage); run() brings it back. */
  async halt(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await this.halt();
    this.client?.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async keys(bucket = 'rejects'): Promise<string[]> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((object) => object.Key!).sort();
  }

  /** An object's text, gunzipped when its key ends in .gz. */
  async text(key: string, bucket = 'rejects'): Promise<string> {
    const got = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    return (key.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  }
}

/**
 * A loopback server that answers every S3 request with a 403 error: AccessDenied, as a bucket policy that denies would,
 * or SignatureDoesNotMatch, as S3 answers a wrong secret key (s3rver does not check SigV4 signatures).
 */
export async function startDenyingServer(code: 'AccessDenied' | 'SignatureDoesNotMatch' = 'AccessDenied'): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>Denied</Message></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
