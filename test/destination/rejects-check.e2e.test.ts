import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli } from '../helpers/cli.js';
import { S3Server, startDenyingServer } from '../helpers/s3-server.js';
import { emulatorConfig, withMessages } from '../helpers/sync.js';
import { testTempDir } from '../helpers/temp-dir.js';

let emulator: Emulator;
let s3: S3Server;
let dir: string;
beforeAll(async () => {
  emulator = await startEmulator();
  s3 = await S3Server.start();
  dir = testTempDir('dmb-check-');
});
afterAll(async () => {
  await emulator.close();
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function check(object_storage_config: Record<string, unknown>) {
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(emulatorConfig(emulator, { object_storage_config })));
  const result = withMessages(await runCli(['check', '--config', file]));
  expect(result.code).toBe(0);
  const [status, ...more] = result.messages.filter((m) => m.type === 'CONNECTION_STATUS');
  expect(more).toEqual([]);
  return { ...(status!.connectionStatus as { status: string; message?: string }), output: result.stdout + result.stderr };
}

describe('check with object storage', () => {
  test('S3: a probe object is written and deleted', async () => {
    const status = await check(s3.storage());
    expect(status.status, status.message).toBe('SUCCEEDED');
    expect(await s3.keys()).toEqual([]);
  });

  test('Local: the folder is created and left empty', async () => {
    const status = await check({ storage_type: 'Local', path: path.join(dir, 'rejects') });
    expect(status.status).toBe('SUCCEEDED');
  });

  test('wrong keys, a missing bucket, access denied, an unreachable endpoint: FAILED, four messages, no secret shown', async () => {
    const wrongKeys = await check(s3.storage({ access_key_id: 'AKIAWRONGKEY0001' }));
    const noBucket = await check(s3.storage({ s3_bucket_name: 'no-such-bucket' }));
    const denying = await startDenyingServer();
    const denied = await check(s3.storage({ s3_endpoint: denying.endpoint, access_key_id: 'AKIADENIEDKEY001', secret_access_key: 'denied-secret-value-42' })).finally(() => denying.close());
    const unreachable = await check(s3.storage({ s3_endpoint: 'http://127.0.0.1:9' }));
    for (const status of [wrongKeys, noBucket, denied, unreachable]) {
      expect(status.status).toBe('FAILED');
      expect(status.message).toMatch(/^object_storage_config: /);
    }
    expect(wrongKeys.message).toMatch(/key id or secret key is wrong/);
    expect(noBucket.message).toMatch(/bucket "no-such-bucket" does not exist/);
    expect(denied.message).toMatch(/Access to the bucket "rejects" was denied/);
    expect(unreachable.message).toMatch(/Cannot reach S3 at http:\/\/127\.0\.0\.1:9/);
    // Both keys are airbyte_secret: never in any output.
    expect(denied.output).not.toContain('denied-secret-value-42');
    expect(denied.output).not.toContain('AKIADENIEDKEY001');
    expect(wrongKeys.output).not.toContain('AKIAWRONGKEY0001');
  });
});
