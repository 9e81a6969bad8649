import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { call, errorCode, getToken, ManualClock, waitFor } from './helpers.js';

const DESCRIBE = '/rest/v1/leads/describe2.json';
let emulator: Emulator;
afterEach(() => emulator.close());

async function start(options: EmulatorOptions): Promise<string> {
  emulator = await startEmulator(options);
  return getToken(emulator);
}

describe('rate limit (606)', () => {
  test('the 101st call within 20 s is refused with the real message', async () => {
    const clock = new ManualClock();
    const token = await start({ clock });
    for (let i = 0; i < 100; i++) expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    const res = await call(emulator, DESCRIBE, { token });
    expect(res.json).toMatchObject({ success: false, errors: [{ code: '606', message: "Max rate limit '100' exceeded with in '20' secs" }] });
  });

  test('the window slides, and refused calls do not count', async () => {
    const clock = new ManualClock();
    const token = await start({ clock, rateLimit: { calls: 3, windowSeconds: 20 } });
    for (let i = 0; i < 3; i++) {
      await call(emulator, DESCRIBE, { token });
      clock.advance(5000);
    }
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('606'); // t=15 s: 3 calls in the window
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('606');
    clock.advance(5000); // t=20 s: the first call left the window
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('606');
  });

  test('can be switched off', async () => {
    const token = await start({ rateLimit: false });
    for (let i = 0; i < 120; i++) expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
  });
});

describe('concurrency limit (615)', () => {
  test('an 11th concurrent call is refused while 10 are running', async () => {
    const token = await start({});
    emulator.faults.inject({ kind: 'slow', delayMs: 300, times: 10 });
    const running = Array.from({ length: 10 }, () => call(emulator, DESCRIBE, { token }));
    await waitFor(() => emulator.timeline.filter((e) => e.kind === 'request' && e.fault === 'slow').length === 10, '10 slow calls');
    const refused = await call(emulator, DESCRIBE, { token });
    expect(refused.json).toMatchObject({ errors: [{ code: '615', message: "Concurrent access limit '10' reached" }] });
    const answers = await Promise.all(running);
    expect(answers.every((a) => errorCode(a) === undefined)).toBe(true);
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
  });

  test('follows the configured limit', async () => {
    const token = await start({ concurrencyLimit: 1 });
    emulator.faults.inject({ kind: 'slow', delayMs: 200 });
    const slow = call(emulator, DESCRIBE, { token });
    await waitFor(() => emulator.timeline.some((e) => e.kind === 'request' && e.fault === 'slow'), 'the slow call');
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('615');
    expect(errorCode(await slow)).toBeUndefined();
  });
});

describe('daily quota (607)', () => {
  test('calls beyond the quota are refused until midnight CST; identity calls are free', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12)); // 06:00 CST
    const token = await start({ clock, dailyQuota: 2 });
    await getToken(emulator);
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    expect((await call(emulator, DESCRIBE, { token })).json).toMatchObject({ errors: [{ code: '607', message: 'Daily quota reached' }] });
    clock.advance(18 * 3600 * 1000 - 1); // 23:59:59.999 CST
    const fresh = await getToken(emulator);
    expect(errorCode(await call(emulator, DESCRIBE, { token: fresh }))).toBe('607');
    clock.advance(1); // midnight CST
    expect(errorCode(await call(emulator, DESCRIBE, { token: fresh }))).toBeUndefined();
  });

  test('setDailyQuota can pretend calls were already made today', async () => {
    const token = await start({});
    emulator.faults.setDailyQuota(50_000, 49_999);
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBe('607');
    emulator.faults.setDailyQuota(false);
    expect(errorCode(await call(emulator, DESCRIBE, { token }))).toBeUndefined();
  });
});
