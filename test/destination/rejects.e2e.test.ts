import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runCli, type RunOptions } from '../helpers/cli.js';
import { S3Server } from '../helpers/s3-server.js';
import { emulatorConfig, expectedStates, loadFixture, withMessages, type Fixture, type SyncResult } from '../helpers/sync.js';
import { testTempDir } from '../helpers/temp-dir.js';

type Json = Record<string, unknown>;

let emulator: Emulator;
let s3: S3Server;
let dir: string;
beforeAll(async () => {
  s3 = await S3Server.start();
});
afterAll(async () => {
  await s3.stop();
});
beforeEach(async () => {
  emulator = await startEmulator();
  dir = testTempDir('dmb-rejects-e2e-');
});
afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The rejections fixture as Airbyte sends it: sync 4242, generation 3. */
function rejectionsFixture(): Fixture {
  const fixture = loadFixture('rejections');
  const catalog = fixture.catalog as { streams: Json[] };
  return { ...fixture, catalog: { streams: catalog.streams.map((s) => ({ ...s, sync_id: 4242, generation_id: 3, minimum_generation_id: 0 })) } };
}

async function sync(fixture: Fixture, storage: Json, options: RunOptions & { config?: Json } = {}): Promise<SyncResult> {
  const config = path.join(dir, 'config.json');
  const catalog = path.join(dir, 'catalog.json');
  writeFileSync(config, JSON.stringify(emulatorConfig(emulator, { ...fixture.config, ...options.config, object_storage_config: storage })));
  writeFileSync(catalog, JSON.stringify(fixture.catalog));
  return withMessages(await runCli(['write', '--config', config, '--catalog', catalog], { ...options, stdin: options.stdin ?? fixture.messages }));
}

/** Every file of a local folder, by path relative to it. */
function localFiles(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full), readFileSync(full));
    }
  };
  walk(root);
  return files;
}

const csvRows = (text: string): Json[] => parse(text, { columns: true }) as Json[];
const jsonlRows = (text: string): Json[] => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);

// The fixture: state 1 has one row Marketo fails (empty email) and one it warns about (imported, not a reject);
// state 2 has a decimal leadScore and a row too large for a file, both rejected by the connector.
const EXPECTED_REJECTS = [
  { record: { firstName: 'NoEmail', leadScore: '2' }, rejection: { reason: "Value for lookup field 'email' not found", rejected_by: 'marketo', field: 'email' } },
  { record: { email: 'decimal@example.com', firstName: 'Dec', leadScore: 4.5 }, rejection: { reason: 'Invalid data type in field leadScore (input line 6)', rejected_by: 'connector', field: 'leadScore' } },
  { record: { email: 'big@example.com', leadScore: 5 }, rejection: { reason: 'the row alone is larger than batching.max_file_bytes (input line 7)', rejected_by: 'connector' } },
];

function expectRejects(rows: Json[], data: (row: Json) => Json): void {
  expect(rows).toHaveLength(3);
  const byReason = new Map(rows.map((row) => [(row._airbyte_meta as { rejection: { reason: string } }).rejection.reason, row]));
  for (const expected of EXPECTED_REJECTS) {
    const row = byReason.get(expected.rejection.reason)!;
    expect(row, expected.rejection.reason).toBeDefined();
    expect(row._airbyte_raw_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(row._airbyte_extracted_at)).toBe(1700000000000);
    expect(Number(row._airbyte_generation_id)).toBe(3);
    const meta = row._airbyte_meta as { sync_id: number; changes: unknown[]; rejection: Json };
    expect(meta.sync_id).toBe(4242);
    expect(meta.changes).toEqual([]);
    expect(meta.rejection).toMatchObject(expected.rejection);
    if (expected.rejection.rejected_by === 'marketo') expect(meta.rejection.batch_id).toEqual(expect.any(Number));
    else expect(meta.rejection).not.toHaveProperty('batch_id');
    // Compared as text: flattened CSV cells are text, and rows Marketo failed are rebuilt from the cells sent.
    for (const [field, value] of Object.entries(expected.record)) expect(String(data(row)[field])).toBe(String(value));
  }
  // The big row is written whole, as received.
  expect((data(byReason.get(EXPECTED_REJECTS[2]!.rejection.reason)!).firstName as string).length).toBeGreaterThan(2048);
}

describe('rejected records in S3', () => {
  // Encoded on the main thread, and on two worker threads (the rejected records cross the thread boundary).
  test.each([0, 2])('CSV, no flattening: Marketo and local rejects in one sync, default path and file name, counts unchanged (encoder threads: %i)', async (threads) => {
    const fixture = rejectionsFixture();
    const prefix = `csv-nested-${threads}`;
    const result = await sync(fixture, s3.storage({ bucket_path: prefix }), { config: { batching: { ...(fixture.config.batching as Json), encoder_threads: threads } } });
    expect(result.traces, result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(fixture.messages, { 1: 1, 2: 2 }));
    const keys = (await s3.keys()).filter((key) => key.startsWith(`${prefix}/`));
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) expect(key).toMatch(new RegExp(`^${prefix}/4242/contacts/\\d{4}_\\d\\d_\\d\\d_\\d{13}_\\d+\\.csv$`));
    const rows: Json[] = [];
    for (const key of keys) {
      const text = await s3.text(key);
      expect(text.split('\r\n')[0]).toBe('_airbyte_raw_id,_airbyte_extracted_at,_airbyte_generation_id,_airbyte_meta,_airbyte_data');
      rows.push(...csvRows(text).map((row) => ({ ...row, _airbyte_meta: JSON.parse(row._airbyte_meta as string) })));
    }
    expectRejects(rows, (row) => JSON.parse(row._airbyte_data as string) as Json);
    // The row Marketo failed is rebuilt from the row sent, typed by its Marketo field types; the empty email left out.
    const failed = rows.find((row) => (row._airbyte_meta as { rejection: Json }).rejection.rejected_by === 'marketo')!;
    expect(JSON.parse(failed._airbyte_data as string)).toEqual({ firstName: 'NoEmail', leadScore: 2 });
    // The warned row was imported: it is not a reject.
    expect(JSON.stringify(rows)).not.toContain('not-an-email');
    expect(result.logs.some((log) => log.level === 'INFO' && log.message.startsWith('3 rejected record(s) stored in') && log.message.includes(`s3://rejects/${keys[0]}`))).toBe(true);
  });

  test('JSONL, root level flattening, gzip, custom path and file name formats', async () => {
    const fixture = rejectionsFixture();
    const result = await sync(
      fixture,
      s3.storage({
        bucket_path: 'jsonl-flat/',
        format: { format_type: 'JSONL', flattening: 'Root level flattening' },
        compression: { compression_type: 'GZIP' },
        path_format: 'sync-{sync_id}/{stream_name}-{date}/',
        file_name_format: 'rejects-{part_number}-{timestamp}{format_extension}',
      }),
    );
    expect(result.code, result.stderr).toBe(0);
    const keys = (await s3.keys()).filter((key) => key.startsWith('jsonl-flat/'));
    for (const key of keys) expect(key).toMatch(/^jsonl-flat\/sync-4242\/contacts-\d{4}_\d\d_\d\d\/rejects-\d+-\d{13}\.jsonl\.gz$/);
    const rows: Json[] = [];
    for (const key of keys) rows.push(...jsonlRows(await s3.text(key)));
    expectRejects(rows, (row) => row);
    expect(rows.every((row) => !('_airbyte_data' in row))).toBe(true);
  });
});

describe('rejected records in a local folder', () => {
  test('CSV, root level flattening: the same layout, files readable by the owner only', async () => {
    const fixture = rejectionsFixture();
    const folder = path.join(dir, 'rejects');
    const result = await sync(fixture, { storage_type: 'Local', path: folder, format: { format_type: 'CSV', flattening: 'Root level flattening' } });
    expect(result.code, result.stderr).toBe(0);
    const files = localFiles(folder);
    const rows: Json[] = [];
    for (const [name, bytes] of files) {
      expect(name).toMatch(/^4242\/contacts\/\d{4}_\d\d_\d\d_\d{13}_\d+\.csv$/);
      expect(statSync(path.join(folder, name)).mode & 0o777).toBe(0o600);
      const text = bytes.toString();
      expect(text.split('\r\n')[0]).toBe('_airbyte_raw_id,_airbyte_extracted_at,_airbyte_generation_id,_airbyte_meta,email,firstName,leadScore');
      rows.push(...csvRows(text).map((row) => ({ ...row, _airbyte_meta: JSON.parse(row._airbyte_meta as string) })));
    }
    expectRejects(rows, (row) => row);
  });

  // A rejected record crosses from an encoder thread to the main thread: a field too deep to cross is kept as null.
  test.each([0, 2])('a record nested too deeply is written with that field null and named in _airbyte_meta.changes (encoder threads: %i)', async (threads) => {
    const fixture = rejectionsFixture();
    const deep = `${'{"a":['.repeat(50_000)}1${']}'.repeat(50_000)}`;
    const record = (data: string) => `{"type":"RECORD","record":{"stream":"contacts","emitted_at":1700000000000,"data":${data}}}`;
    const messages = [
      record(`{"email":"deep@example.com","firstName":${deep}}`),
      record(`{"email":"bad@example.com","leadScore":"x","extra":${deep}}`),
      JSON.stringify({ type: 'STATE', state: { type: 'STREAM', id: 1, stream: { stream_descriptor: { name: 'contacts' }, stream_state: { n: 2 } } } }),
    ].join('\n');
    const folder = path.join(dir, 'rejects');
    const result = await sync({ ...fixture, messages }, { storage_type: 'Local', path: folder, format: { format_type: 'JSONL' } }, { config: { batching: { encoder_threads: threads } } });
    expect(result.traces, result.stderr).toEqual([]);
    expect(result.states).toEqual(expectedStates(messages, { 1: 2 }));
    const rows = [...localFiles(folder).values()].flatMap((bytes) => jsonlRows(bytes.toString()));
    const byEmail = new Map(rows.map((row) => [(row._airbyte_data as { email: string }).email, row]));
    const nulled = (field: string) => [{ field, change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' }];
    expect(byEmail.get('deep@example.com')).toMatchObject({ _airbyte_data: { email: 'deep@example.com', firstName: null }, _airbyte_meta: { changes: nulled('firstName') } });
    expect(byEmail.get('bad@example.com')).toMatchObject({ _airbyte_data: { email: 'bad@example.com', leadScore: 'x', extra: null }, _airbyte_meta: { changes: nulled('extra') } });
  });
});

/** contacts R1..Rn, a STREAM state every 10; some rows rejected by the connector (a decimal score), some by Marketo (no email). */
function generated(count: number, from = 1): { fixture: Fixture; rejected: (upTo: number) => string[] } {
  const base = rejectionsFixture();
  const kind = (i: number): 'local' | 'marketo' | undefined => (i % 7 === 3 ? 'local' : i % 11 === 5 ? 'marketo' : undefined);
  const lines: string[] = [];
  for (let i = from; i < from + count; i++) {
    const data = { email: kind(i) === 'marketo' ? '' : `r${i}@example.com`, firstName: `R${i}`, leadScore: kind(i) === 'local' ? i + 0.5 : i };
    lines.push(JSON.stringify({ type: 'RECORD', record: { stream: 'contacts', data, emitted_at: 1700000000000 + i } }));
    if (i % 10 === 0) lines.push(JSON.stringify({ type: 'STATE', state: { type: 'STREAM', id: i / 10, stream: { stream_descriptor: { name: 'contacts' }, stream_state: { n: i } } } }));
  }
  const rejected = (upTo: number): string[] => Array.from({ length: upTo }, (_, i) => i + 1).filter((i) => kind(i) !== undefined).map((i) => `R${i}`);
  return { fixture: { ...base, messages: `${lines.join('\n')}\n` }, rejected };
}

/** firstName of every reject in JSONL files (nested layout). */
const namesIn = (texts: string[]): string[] => texts.flatMap((text) => jsonlRows(text).map((row) => (row._airbyte_data as { firstName: string }).firstName));

const fast = { batching: { max_file_bytes: 1024, flush_interval_seconds: 1 }, polling: { initial_interval_seconds: 0.05, max_interval_seconds: 0.1 } };

describe('rejects and states', () => {
  test('a state is echoed only once every reject it counts is in a stored file', async () => {
    emulator.configure({ rowsPerSecond: 400 });
    const { fixture, rejected } = generated(120);
    const folder = path.join(dir, 'rejects');
    const problems: string[] = [];
    let checked = 0;
    const result = await sync(fixture, { storage_type: 'Local', path: folder, format: { format_type: 'JSONL' } }, {
      config: fast,
      onLine: (line) => {
        const message = JSON.parse(line) as { type: string; state?: { stream: { stream_state: { n: number } }; id: number } };
        if (message.type !== 'STATE') return;
        // Read when the line arrives: files still being written end in .partial and do not count.
        let texts: string[] = [];
        try {
          texts = [...localFiles(folder)].filter(([name]) => !name.endsWith('.partial')).map(([, bytes]) => bytes.toString());
        } catch {
          // No folder yet.
        }
        const stored = new Set(namesIn(texts));
        for (const name of rejected(message.state!.stream.stream_state.n)) if (!stored.has(name)) problems.push(`state ${message.state!.id}: ${name} not stored`);
        checked++;
      },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(checked).toBe(12);
    expect(problems).toEqual([]);
    // Each reject exactly once.
    expect(namesIn([...localFiles(folder).values()].map(String)).sort()).toEqual(rejected(120).sort());
  });

  test('storage lost mid-sync: transient_error, no state echoed past the rejects that could not be stored', async () => {
    const { fixture, rejected } = generated(40);
    // Records 1-20 and states 1-2 first; the rest once state 2 is echoed and the store is down.
    const cut = fixture.messages.indexOf('\n', fixture.messages.indexOf('"id":2,')) + 1;
    const storage = s3.storage({ bucket_path: 'outage', format: { format_type: 'JSONL' } });
    let halted: Promise<void> | undefined;
    const result = await sync(fixture, storage, {
      config: fast,
      stdin: fixture.messages.slice(0, cut),
      keepStdinOpen: true,
      onLine: (line, child) => {
        const message = JSON.parse(line) as { type: string; state?: { id: number } };
        if (message.type !== 'STATE' || message.state!.id !== 2) return;
        halted = s3.halt().then(() => {
          child.stdin!.end(fixture.messages.slice(cut));
        });
      },
    });
    await halted;
    await s3.run();
    expect(result.code).toBe(1);
    expect(result.states.map((state) => state.id)).toEqual([1, 2]);
    expect(result.traces).toHaveLength(1);
    const error = result.traces[0]!.error as { failure_type: string; message: string };
    expect(error.failure_type).toBe('transient_error');
    expect(error.message).toMatch(/Rejected records could not be stored.*Cannot reach S3/s);
    // What was stored is what the echoed states counted: nothing later was half written.
    const texts = await Promise.all((await s3.keys()).filter((key) => key.startsWith('outage/')).map((key) => s3.text(key)));
    expect(namesIn(texts).sort()).toEqual(rejected(20).sort());
  });

  test('kill -9 and resume: no reject lost, none before the last echoed state written twice', async () => {
    const { fixture, rejected } = generated(300);
    const storage = s3.storage({ bucket_path: 'resume', format: { format_type: 'JSONL' } });
    // Fed 40 records (4 states) at a time, each batch once the last state of the previous one is echoed, so that the
    // kill lands mid-sync with rejects stored on both sides of it.
    const batches = fixture.messages.split(/(?<="id":(?:4|8|12|16|20|24|28),.*\n)/);
    const killAt = 6;
    let sent = 0;
    const first = await sync(fixture, storage, {
      config: fast,
      stdin: batches[sent++],
      keepStdinOpen: true,
      onLine: (line, child) => {
        const message = JSON.parse(line) as { type: string; state?: { id: number } };
        if (message.type !== 'STATE') return;
        if (message.state!.id === killAt) child.kill('SIGKILL');
        else if (message.state!.id === 4 * sent) child.stdin!.write(batches[sent++]!);
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const resumeFrom = first.states.at(-1)!.id as number;
    expect(resumeFrom).toBeGreaterThanOrEqual(killAt);
    expect(resumeFrom).toBeLessThan(30);
    // The platform resends every record after the last state it read.
    const lines = fixture.messages.split('\n');
    const stateLine = lines.findIndex((line) => line.includes(`"id":${resumeFrom},`));
    const second = await sync({ ...fixture, messages: lines.slice(stateLine + 1).join('\n') }, storage, { config: fast });
    expect(second.code, second.stderr).toBe(0);

    const texts = await Promise.all((await s3.keys()).filter((key) => key.startsWith('resume/')).map((key) => s3.text(key)));
    const names = namesIn(texts);
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    // Every reject is stored; those before the last echoed state exactly once. Records after it were sent twice, so
    // their rejects may be twice (at-least-once delivery), but only if the killed run had stored them.
    expect([...counts.keys()].sort()).toEqual(rejected(300).sort());
    for (const name of rejected(resumeFrom * 10)) expect(counts.get(name), name).toBe(1);
    for (const count of counts.values()) expect(count).toBeLessThanOrEqual(2);
  });
});

describe('program member rows rejected before sending', () => {
  test('an unknown program, a status that is not importable, a missing program: each written with its record', async () => {
    const stream = {
      stream: { name: 'members', json_schema: { type: 'object', properties: { email: { type: 'string' }, programId: { type: 'integer' }, programMemberStatus: { type: 'string' } } }, supported_sync_modes: ['incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
      primary_key: [['email'], ['programId']],
      destination_object_name: 'program_members',
      generation_id: 1,
      minimum_generation_id: 0,
      sync_id: 7,
    };
    const record = (data: Json, i: number) => JSON.stringify({ type: 'RECORD', record: { stream: 'members', data, emitted_at: 1000 + i } });
    const messages = [
      record({ email: 'a@example.com', programId: 1001, programMemberStatus: 'Invited' }, 1),
      record({ email: 'b@example.com', programId: 9999, programMemberStatus: 'Invited' }, 2),
      record({ email: 'c@example.com', programId: 1001, programMemberStatus: 'Bogus' }, 3),
      record({ email: 'd@example.com', programMemberStatus: 'Invited' }, 4),
      JSON.stringify({ type: 'STATE', state: { type: 'STREAM', id: 1, stream: { stream_descriptor: { name: 'members' }, stream_state: { id: 1 } } } }),
    ].join('\n');
    const folder = path.join(dir, 'rejects');
    const result = await sync({ config: {}, catalog: { streams: [stream] }, messages }, { storage_type: 'Local', path: folder, format: { format_type: 'JSONL' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.states).toEqual(expectedStates(messages, { 1: 3 }));
    const rows = [...localFiles(folder).values()].flatMap((bytes) => jsonlRows(bytes.toString()));
    const byEmail = new Map(rows.map((row) => [(row._airbyte_data as { email: string }).email, row]));
    expect([...byEmail.keys()].sort()).toEqual(['b@example.com', 'c@example.com', 'd@example.com']);
    expect(byEmail.get('b@example.com')).toMatchObject({ _airbyte_extracted_at: 1002, _airbyte_data: { programId: '9999', programMemberStatus: 'Invited' } });
    expect(byEmail.get('c@example.com')).toMatchObject({ _airbyte_extracted_at: 1003, _airbyte_data: { programId: '1001', programMemberStatus: 'Bogus' } });
    expect(byEmail.get('d@example.com')).toMatchObject({ _airbyte_extracted_at: 1004, _airbyte_data: { email: 'd@example.com', programMemberStatus: 'Invited' } });
    expect((byEmail.get('d@example.com')!._airbyte_meta as { rejection: Json }).rejection).toEqual({ reason: "Value for field 'programId' not found (input line 4)", rejected_by: 'connector', field: 'programId' });
    for (const row of rows) expect((row._airbyte_meta as { rejection: { rejected_by: string; reason: string } }).rejection).toMatchObject({ rejected_by: 'connector', reason: expect.stringMatching(/./) });
  });
});
