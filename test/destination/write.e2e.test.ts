import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import {
  expectedStates,
  loadFixture,
  maxJobsInFlight,
  requestsTo,
  runWrite,
  uploads,
} from '../helpers/sync.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const byEmail = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r.email), r]));

describe('write: three objects, interleaved', () => {
  // Encoded on the main thread, and on two worker threads.
  test.each([0, 2])('imports every record into its object, echoes every state in order with exact counts (encoder threads: %i)', async (threads) => {
    const fixture = loadFixture('three-objects');
    const result = await runWrite(emulator, fixture, { config: { batching: { max_file_bytes: 1024, max_jobs_in_flight: 2, encoder_threads: threads } } });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.traces).toEqual([]);
    expect(result.states).toEqual(expectedStates(fixture.messages));

    const leads = byEmail(emulator.store.leads());
    expect(leads.size).toBe(30);
    expect(leads.get('lead7@example.com')).toMatchObject({ firstName: 'First7', lastName: 'Last7', company: 'Co 3', leadScore: 7 });
    expect(leads.get('lead7@example.com')).not.toHaveProperty('_airbyte_extracted_at');
    const cars = emulator.store.customObjects('car_c');
    expect(cars).toHaveLength(15);
    expect(cars.find((c) => c.vin === 'VIN0012')).toMatchObject({ make: 'bmw', model: 'M12', year: 2012, ownerEmail: 'lead12@example.com' });
    const members = emulator.store.programMembers(1001);
    expect(members).toHaveLength(10);
    expect(members.every((m) => m.statusName === 'Registered')).toBe(true);
    expect(members.find((m) => m.email === 'lead9@example.com')).toMatchObject({ registrationCode: 'R-9' });

    // Small files force several jobs; never more than the setting in flight, never a file over the limit.
    expect(uploads(emulator).length).toBeGreaterThan(3);
    for (const upload of uploads(emulator)) expect(upload.fileBytes).toBeLessThanOrEqual(1024);
    expect(maxJobsInFlight(emulator)).toBeLessThanOrEqual(2);
    // No row failed or warned, so no report was fetched.
    expect(requestsTo(emulator, /failures\.json|warnings\.json/)).toBe(0);
  });
});

describe('write: state types', () => {
  test.each(['legacy-states', 'global-states'])('%s count every stream since the previous state', async (name) => {
    const fixture = loadFixture(name);
    const result = await runWrite(emulator, fixture);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(fixture.messages));
    expect(result.states.map((s) => s.id)).toEqual([101, 102, 103]);
    // The record after the last state is imported too, although no state follows it.
    expect(byEmail(emulator.store.leads()).has(`${name.split('-')[0]}-tail@example.com`)).toBe(true);
    expect(emulator.store.leads()).toHaveLength(13);
    expect(emulator.store.customObjects('car_c')).toHaveLength(6);
  });
});

describe('write: values that need quoting, in every format', () => {
  test.each([
    ['csv', 0],
    ['tsv', 2],
    ['ssv', 0],
  ])('%s round-trips delimiters, quotes, newlines, emoji, CJK, nested objects and nulls (encoder threads: %i)', async (format, threads) => {
    const fixture = loadFixture('tricky-values');
    const result = await runWrite(emulator, fixture, { config: { file_format: format, batching: { encoder_threads: threads } } });
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(fixture.messages));
    const leads = byEmail(emulator.store.leads());
    expect(leads.get('comma@example.com')).toMatchObject({ company: 'Acme, Inc.', title: 'a;b\tc', city: 'Zürich' });
    expect(leads.get('quote@example.com')).toMatchObject({ company: 'The "Best" Co', title: 'She said "hi"', city: 'São Paulo' });
    expect(leads.get('newline@example.com')).toMatchObject({ company: 'Line1\nLine2', title: 'CR\r\nLF', city: 'Köln' });
    expect(leads.get('emoji@example.com')).toMatchObject({ company: 'Rocket 🚀 Labs', title: '👩‍💻 engineer', city: '東京', preferredLanguage: '日本語' });
    expect(leads.get('cjk@example.com')).toMatchObject({ company: '北京科技有限公司', title: '經理', city: '서울' });
    expect(leads.get('nested@example.com')).toMatchObject({ company: '{"name":"Nested","tags":["a","b"]}', title: '["x","y"]' });
    expect(leads.get('control@example.com')).toMatchObject({ company: 'NUL\u0000 and \u0001 chars', title: 'back\\slash / slash', city: '  spaced  ' });
    expect(leads.get('bool@example.com')).toMatchObject({ unsubscribed: false, leadScore: 0 });
    expect(leads.get('comma@example.com')?.preferredLanguage ?? null).toBeNull();
  });
});

describe('write: duplicates', () => {
  test('the last row for a lookup value wins, across files', async () => {
    const fixture = loadFixture('duplicates');
    const result = await runWrite(emulator, fixture);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(fixture.messages));
    expect(uploads(emulator).length).toBeGreaterThanOrEqual(3);
    const leads = byEmail(emulator.store.leads());
    expect(leads.size).toBe(20);
    for (let i = 1; i <= 20; i++) expect(leads.get(`dup${i}@example.com`)).toMatchObject({ firstName: 'round2', leadScore: 200 + i });
  });
});

describe('write: rejected and warned rows', () => {
  test('counts Marketo failures, local rejections and the oversize row, fetching reports only when needed', async () => {
    const fixture = loadFixture('rejections');
    const result = await runWrite(emulator, fixture);
    expect(result.code).toBe(0);
    // State 1: the empty email fails in Marketo. State 2: a decimal leadScore and a row too large for a file.
    expect(result.states).toEqual(expectedStates(fixture.messages, { 1: 1, 2: 2 }));
    const leads = byEmail(emulator.store.leads());
    expect([...leads.keys()].sort()).toEqual(['not-an-email', 'ok1@example.com', 'ok2@example.com', 'ok3@example.com']);
    const warn = result.logs.filter((l) => l.level === 'WARN').map((l) => l.message);
    expect(warn.some((m) => m.includes("Value for lookup field 'email' not found"))).toBe(true);
    expect(warn.some((m) => m.includes('Invalid data type in field leadScore') && m.includes('decimal@example.com'))).toBe(true);
    expect(warn.some((m) => m.includes('big@example.com') && m.includes('max_file_bytes'))).toBe(true);
    const info = result.logs.filter((l) => l.level === 'INFO').map((l) => l.message);
    expect(info.some((m) => m.includes('Invalid email address'))).toBe(true);
    // One failures file and one warnings file, for the one job that had failed and warned rows.
    expect(requestsTo(emulator, /failures\.json$/)).toBe(1);
    expect(requestsTo(emulator, /warnings\.json$/)).toBe(1);
  });
});

describe('write: states wait for Complete', () => {
  test('no state is printed while its data is still Queued or Importing', async () => {
    emulator.configure({ rowsPerSecond: 200, jobLatencyMs: 50 });
    const fixture = loadFixture('three-objects');
    const seen: string[] = [];
    const result = await runWrite(emulator, fixture, {
      config: { batching: { max_file_bytes: 1024, max_jobs_in_flight: 3 } },
      onLine: (line) => {
        const message = JSON.parse(line) as { type: string; state?: { stream: { stream_state: { cursor: number } }; id: number } };
        if (message.type !== 'STATE' || !message.state) return;
        // Every contact before this state must already be in the store: rows land only when a job is Complete.
        const cursor = message.state.stream.stream_state.cursor;
        const leads = byEmail(emulator.store.leads());
        for (let i = 1; i <= cursor; i++) if (!leads.has(`lead${i}@example.com`)) seen.push(`state ${message.state.id}: lead${i} missing`);
      },
    });
    expect(result.code).toBe(0);
    expect(seen).toEqual([]);
    expect(result.states).toHaveLength(9);
    // The slow emulator really had jobs waiting while the sync went on.
    expect(emulator.jobs().length).toBeGreaterThan(3);
  });

  test('kill -9 right after a state line: every record before that state is in Marketo', async () => {
    emulator.configure({ rowsPerSecond: 500 });
    const fixture = loadFixture('three-objects');
    let killedAfter: number | undefined;
    const result = await runWrite(emulator, fixture, {
      config: { batching: { max_file_bytes: 1024 } },
      onLine: (line, child) => {
        const message = JSON.parse(line) as { type: string; state?: { stream: { stream_state: { cursor: number } } } };
        if (message.type === 'STATE' && killedAfter === undefined) {
          killedAfter = message.state!.stream.stream_state.cursor;
          child.kill('SIGKILL');
        }
      },
    });
    expect(result.signal).toBe('SIGKILL');
    expect(killedAfter).toBe(10);
    const leads = byEmail(emulator.store.leads());
    for (let i = 1; i <= killedAfter!; i++) expect(leads.has(`lead${i}@example.com`)).toBe(true);
  });
});

describe('write: flushing and reporting', () => {
  test('a partly filled file is sent when it is old enough, so states flow while the source is idle', async () => {
    const fixture = loadFixture('tricky-values');
    let stateWhileOpen = false;
    const result = await runWrite(emulator, fixture, {
      config: { batching: { flush_interval_seconds: 1 } },
      keepStdinOpen: true,
      onLine: (line, child) => {
        if (JSON.parse(line).type !== 'STATE') return;
        stateWhileOpen = true;
        child.stdin!.end();
      },
    });
    expect(result.code).toBe(0);
    expect(stateWhileOpen).toBe(true);
    expect(result.states).toEqual(expectedStates(fixture.messages));
  });

  test('ends with a summary LOG line and a readable block on stderr; fields not in the schema are warned once', async () => {
    const fixture = loadFixture('duplicates');
    const messages = fixture.messages.replace(/"firstName"/g, '"nickname": "x", "firstName"');
    const result = await runWrite(emulator, { ...fixture, messages });
    expect(result.code).toBe(0);
    const summary = result.logs.filter((l) => l.message.startsWith('Sync summary:'));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.message).toMatch(/^Sync summary: 60 records, \d+ files, \d+ jobs, 60 imported, 0 rejected, 0 warned, \d+ API calls, [\d.]+ s$/);
    expect(result.stderr).toContain('destination-marketo-bulk summary');
    expect(result.stderr).toMatch(/records read\s+60/);
    const unknown = result.logs.filter((l) => l.message.includes('"nickname"'));
    expect(unknown).toEqual([{ level: 'WARN', message: 'Stream "contacts": field "nickname" is not in the stream\'s schema and is dropped' }]);
  });

  test('a job that does not finish within job_timeout_minutes is a transient_error, and its state is not echoed', async () => {
    emulator.configure({ rowsPerSecond: 1 });
    const fixture = loadFixture('rejections');
    const result = await runWrite(emulator, fixture, { config: { polling: { job_timeout_minutes: 0.01 } } });
    expect(result.code).toBe(1);
    expect(result.states).toEqual([]);
    expect(result.traces).toHaveLength(1);
    const error = result.traces[0]!.error as { failure_type: string; message: string };
    expect(error.failure_type).toBe('transient_error');
    expect(error.message).toMatch(/did not finish within/);
  });
});
