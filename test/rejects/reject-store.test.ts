import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ObjectStorage } from '../../src/config/object-storage.js';
import { openRejectStore, probeStorage } from '../../src/rejects/open.js';
import type { RejectStore } from '../../src/rejects/reject-store.js';
import type { RejectedRow } from '../../src/rejects/rejected-row.js';
import { StorageError } from '../../src/rejects/storage-target.js';
import { S3Server, startDenyingServer } from '../helpers/s3-server.js';
import { testTempDir } from '../helpers/temp-dir.js';

const contacts = { key: 'contacts', name: 'contacts', generationId: 1, fields: ['email'] };
const cars = { key: 'crm\u0000cars', name: 'cars', namespace: 'crm', generationId: 1, fields: ['vin'] };
const rowOf = (i: number): RejectedRow => ({ record: { email: `lead${i}@example.com` }, emittedAt: 1000 + i, reason: 'Invalid email address', rejectedBy: 'marketo', batchId: 9 });

let s3: S3Server;
let folder: string;
beforeAll(async () => {
  s3 = await S3Server.start();
  folder = testTempDir('dmb-rejects-');
});
afterAll(async () => {
  await s3.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function storeFor(storage: Record<string, unknown>, syncId = 55): Promise<RejectStore> {
  return (await openRejectStore(ObjectStorage.parse(storage), syncId))!;
}

const dataLines = (text: string): unknown[] => text.trim().split('\n').map((line) => JSON.parse(line)._airbyte_data);

describe('RejectStore on S3', () => {
  test('rows are stored, and counted as stored, only once a flush completes their files', async () => {
    const store = await storeFor(s3.storage({ bucket_path: 'flush', format: { format_type: 'JSONL' } }));
    const stored: string[] = [];
    store.add(contacts, [rowOf(1), rowOf(2)], () => stored.push('a'));
    store.add(cars, [{ ...rowOf(3), record: { vin: 'V3' } }], () => stored.push('b'));
    expect(stored).toEqual([]);
    expect(store.unstored).toBe(true);
    const before = await s3.keys();
    expect(before.filter((key) => key.startsWith('flush/'))).toEqual([]);
    await store.flush();
    expect(stored).toEqual(['a', 'b']);
    expect(store.unstored).toBe(false);
    const keys = (await s3.keys()).filter((key) => key.startsWith('flush/'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^flush\/55\/contacts\/\d{4}_\d\d_\d\d_\d+_0\.jsonl$/);
    expect(keys[1]).toMatch(/^flush\/55\/crm\/cars\/\d{4}_\d\d_\d\d_\d+_0\.jsonl$/);
    expect(dataLines(await s3.text(keys[0]!))).toEqual([{ email: 'lead1@example.com' }, { email: 'lead2@example.com' }]);
    expect(store.stored).toEqual({ rows: 3, files: expect.arrayContaining([`s3://rejects/${keys[0]}`, `s3://rejects/${keys[1]}`]) });
    // The next rows go to the next part.
    store.add(contacts, [rowOf(4)], () => undefined);
    await store.flush();
    expect((await s3.keys()).filter((key) => key.startsWith('flush/55/contacts/') && key.endsWith('_1.jsonl'))).toHaveLength(1);
    store.close();
  });

  test('files roll at the roll size, gzip included, and every row is in exactly one file', async () => {
    const store = await storeFor(s3.storage({ bucket_path: 'roll', compression: { compression_type: 'GZIP' } }));
    (store as unknown as { rollBytes: number }).rollBytes = 2_000;
    const rows = Array.from({ length: 100 }, (_, i) => rowOf(i));
    store.add(contacts, rows, () => undefined);
    await store.flush();
    const keys = (await s3.keys()).filter((key) => key.startsWith('roll/'));
    expect(keys.length).toBeGreaterThan(3);
    expect(keys.every((key) => key.endsWith('.csv.gz'))).toBe(true);
    const emails: string[] = [];
    for (const key of keys) {
      const [header, ...lines] = (await s3.text(key)).trimEnd().split('\r\n');
      expect(header).toBe('_airbyte_raw_id,_airbyte_extracted_at,_airbyte_generation_id,_airbyte_meta,_airbyte_data');
      for (const line of lines) emails.push(/lead\d+@example\.com/.exec(line)![0]);
    }
    expect(emails.sort()).toEqual(rows.map((row) => row.record.email).sort());
    store.close();
  });

  test('an outage fails the flush with a StorageError and never reports the rows as stored', async () => {
    const store = await storeFor(s3.storage({ bucket_path: 'outage' }));
    let stored = false;
    store.add(contacts, [rowOf(1)], () => (stored = true));
    await s3.halt();
    try {
      await expect(store.flush()).rejects.toThrow(StorageError);
      expect(stored).toBe(false);
      expect(() => store.throwIfFailed()).toThrow(/Cannot reach S3/);
    } finally {
      await s3.run();
      await store.abort();
    }
  });
});

describe('RejectStore in a local folder', () => {
  test('the same layout; files and folders readable by the owner only; no partial file left', async () => {
    const store = await storeFor({ storage_type: 'Local', path: folder, format: { format_type: 'JSONL', flattening: 'Root level flattening' }, compression: { compression_type: 'GZIP' } }, 7);
    store.add(contacts, [rowOf(1), rowOf(2)], () => undefined);
    await store.flush();
    const dir = path.join(folder, '7', 'contacts');
    const [name, ...others] = readdirSync(dir);
    expect(others).toEqual([]);
    expect(name).toMatch(/^\d{4}_\d\d_\d\d_\d+_0\.jsonl\.gz$/);
    expect(statSync(path.join(dir, name!)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const lines = gunzipSync(readFileSync(path.join(dir, name!))).toString().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.email)).toEqual(['lead1@example.com', 'lead2@example.com']);
    expect(lines[0]._airbyte_meta.rejection).toEqual({ reason: 'Invalid email address', rejected_by: 'marketo', batch_id: 9 });
    store.close();
  });
});

describe('probeStorage (check)', () => {
  const problemOf = async (storage: Record<string, unknown>): Promise<StorageError> => {
    try {
      await probeStorage(ObjectStorage.parse(storage));
    } catch (error) {
      expect(error).toBeInstanceOf(StorageError);
      return error as StorageError;
    }
    throw new Error('expected the probe to fail');
  };

  test('writes and deletes a probe object, leaving nothing behind', async () => {
    const before = await s3.keys();
    await probeStorage(ObjectStorage.parse(s3.storage()));
    expect(await s3.keys()).toEqual(before);
    await probeStorage(ObjectStorage.parse({ storage_type: 'Local', path: path.join(folder, 'probe') }));
    expect(readdirSync(path.join(folder, 'probe'))).toEqual([]);
  });

  test('wrong keys, a missing bucket, access denied and an unreachable endpoint: four different messages', async () => {
    const wrongKey = await problemOf(s3.storage({ access_key_id: 'WRONG' }));
    expect(wrongKey.problem).toBe('credentials');
    expect(wrongKey.message).toMatch(/access_key_id and secret_access_key/);
    const noBucket = await problemOf(s3.storage({ s3_bucket_name: 'no-such-bucket' }));
    expect(noBucket.problem).toBe('no_bucket');
    expect(noBucket.message).toMatch(/"no-such-bucket" does not exist/);
    const denying = await startDenyingServer();
    const badSignature = await startDenyingServer('SignatureDoesNotMatch');
    try {
      const denied = await problemOf(s3.storage({ s3_endpoint: denying.endpoint }));
      expect(denied.problem).toBe('access_denied');
      expect(denied.message).toMatch(/s3:PutObject/);
      const wrongSecret = await problemOf(s3.storage({ s3_endpoint: badSignature.endpoint }));
      expect(wrongSecret.problem).toBe('credentials');
    } finally {
      await denying.close();
      await badSignature.close();
    }
    const unreachable = await problemOf(s3.storage({ s3_endpoint: 'http://127.0.0.1:9' }));
    expect(unreachable.problem).toBe('unreachable');
    expect(unreachable.message).toMatch(/Cannot reach S3 at http:\/\/127\.0\.0\.1:9/);
  });
});
