import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import { parseCliArgs, runCli } from '../../src/emulator/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

describe('emulator command line', () => {
  test('flags become options', async () => {
    expect(
      await parseCliArgs([
        '--port', '8787',
        '--rows-per-second', '500',
        '--job-latency-ms', '250',
        '--token-lifetime-seconds', '30',
        '--rate-limit', '50/20',
        '--concurrency-limit', 'off',
        '--daily-quota', '10000',
        '--max-importing', '1',
        '--max-queued', '4',
        '--missing-token-code', '601',
        '--empty-cells', 'keep',
        '--client-id', 'cid',
        '--client-secret', 'secret',
      ]),
    ).toEqual({
      port: 8787,
      rowsPerSecond: 500,
      jobLatencyMs: 250,
      tokenLifetimeSeconds: 30,
      rateLimit: { calls: 50, windowSeconds: 20 },
      concurrencyLimit: false,
      dailyQuota: 10000,
      maxImporting: 1,
      maxQueued: 4,
      missingTokenCode: '601',
      emptyCells: 'keep',
      clientId: 'cid',
      clientSecret: 'secret',
    });
    expect(await parseCliArgs(['--rows-per-second', 'Infinity', '--rate-limit', 'off'])).toEqual({ rowsPerSecond: Infinity, rateLimit: false });
    expect(await parseCliArgs(['--report-columns', 'all', '--envelope', 'swagger', '--create-status', 'live', '--accept-form-token'])).toEqual({
      reportColumns: 'all',
      envelope: 'swagger',
      createStatus: 'live',
      acceptFormToken: true,
    });
  });

  test('bad flags are explained', async () => {
    await expect(parseCliArgs(['--port', 'abc'])).rejects.toThrow(/--port expects a number/);
    await expect(parseCliArgs(['--rate-limit', '100'])).rejects.toThrow(/CALLS\/SECONDS/);
    await expect(parseCliArgs(['--unknown'])).rejects.toThrow();
    await expect(parseCliArgs(['--envelope', 'spec'])).rejects.toThrow(/--envelope expects docs or swagger, got 'spec'/);
  });

  test('a seed file is read and checked', async () => {
    const dir = testTempDir('emulator-seed-');
    const good = path.join(dir, 'seed.json');
    const programs = [{ id: 7, name: 'Demo', type: 'Default', channel: 'Webinar' }];
    writeFileSync(good, JSON.stringify({ programs }));
    expect(await parseCliArgs(['--seed', good])).toEqual({ seed: { programs } });
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ programs: [{ id: 'seven' }] }));
    await expect(parseCliArgs(['--seed', bad])).rejects.toThrow(/Invalid emulator seed/);
  });

  test('runs, prints its base URL as the only line of output, and stops on signal', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const stop = new AbortController();
    const running = runCli(['--port', '0'], out, stop.signal);
    const url = await new Promise<string>((resolve) => out.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request(`${url}/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret`);
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    stop.abort();
    await running;
    expect(printed).toBe(`${url}\n`);
    await expect(request(`${url}/_emulator/jobs`)).rejects.toThrow();
  });

  test('--help prints the usage', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await runCli(['--help'], out, new AbortController().signal);
    expect(printed).toContain('--rows-per-second');
  });
});
