import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { planColumns } from '../../src/encoding/columns.js';
import { parseConfig } from '../../src/config/load.js';
import type { StreamMappingConfig } from '../../src/config/schema.js';
import { defaultSeed } from '../../src/emulator/seed/defaults.js';
import type { SeedField } from '../../src/emulator/seed/types.js';
import { repoRoot } from '../helpers/cli.js';
import { testTempDir } from '../helpers/temp-dir.js';

const examples = path.join(repoRoot, 'examples');
const read = (file: string): string => readFileSync(path.join(examples, file), 'utf8');

interface CatalogStream {
  stream: { name: string; json_schema: { properties: Record<string, unknown> } };
  destination_sync_mode: string;
}
interface Message {
  type: string;
  record?: { stream: string; data: Record<string, unknown>; emitted_at: number };
  state?: { type: string; id: unknown; stream: { stream_descriptor: { name: string } } };
}

const config = parseConfig(JSON.parse(read('config.json')));
const catalog = JSON.parse(read('catalog.json')) as { streams: CatalogStream[] };
const messages = read('messages.jsonl').trimEnd().split('\n').map((line) => JSON.parse(line) as Message);
const records = messages.flatMap((m) => (m.record ? [m.record] : []));
const states = messages.flatMap((m) => (m.state ? [m.state] : []));
const schemaOf = new Map(catalog.streams.map((s) => [s.stream.name, s.stream.json_schema]));

const writable = (fields: SeedField[]): Set<string> =>
  new Set(fields.filter((f) => f.updateable !== false).map((f) => f.name));
const leadFields = writable(defaultSeed.leadFields);

/** The Marketo fields a mapping's object accepts in an import file, and the fields each row must fill. */
function targetOf(object: StreamMappingConfig['object']): { fields: Set<string>; keys: string[] } {
  switch (object.type) {
    case 'leads': {
      const lookup = defaultSeed.leadFields.find((f) => f.name === object.lookup_field);
      expect(lookup?.lookup, `lead lookup field ${object.lookup_field}`).toBe(true);
      return { fields: leadFields, keys: [object.lookup_field] };
    }
    case 'custom_object': {
      const type = defaultSeed.customObjects.find((o) => o.apiName === object.api_name);
      expect(type, `custom object ${object.api_name}`).toBeDefined();
      return { fields: writable(type?.fields ?? []), keys: type?.dedupeFields ?? [] };
    }
    case 'program_members': {
      const program = defaultSeed.programs.find((p) => p.id === Number(object.program_id));
      const channel = defaultSeed.channels.find((c) => c.name === program?.channel);
      const statuses = channel?.progressionStatuses.filter((s) => s.step > 0).map((s) => s.name);
      expect(statuses, `program ${object.program_id}`).toContain(object.program_member_status);
      return { fields: new Set([...writable(defaultSeed.programMemberFields), ...leadFields]), keys: ['email'] };
    }
  }
}

describe('examples/config.json and catalog.json', () => {
  test('map every catalog stream, in an upsert sync mode, to an object of the emulator seed', () => {
    expect(catalog.streams.map((s) => s.stream.name).sort()).toEqual(config.stream_mappings.map((m) => m.stream).sort());
    expect(new Set(config.stream_mappings.map((m) => m.object.type))).toEqual(
      new Set(['leads', 'custom_object', 'program_members']),
    );
    for (const { stream, destination_sync_mode } of catalog.streams) {
      expect(['append', 'append_dedup']).toContain(destination_sync_mode);
      const mapping = config.stream_mappings.find((m) => m.stream === stream.name);
      if (!mapping) throw new Error(`no mapping for ${stream.name}`);
      const { fields, keys } = targetOf(mapping.object);
      const columns = planColumns(stream.json_schema, mapping.field_mappings).map((c) => c.name);
      expect(columns.filter((c) => !fields.has(c)), `${stream.name}: columns unknown to the seed`).toEqual([]);
      expect(columns, `${stream.name}: key fields`).toEqual(expect.arrayContaining(keys));
    }
  });

  test('point at the emulator with its default credentials', () => {
    expect(config.base_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(config).toMatchObject({ client_id: 'emulator-client-id', client_secret: 'emulator-client-secret' });
  });
});

describe('examples/messages.jsonl', () => {
  test('holds a few thousand records over the three streams, under 1 MB', () => {
    expect(statSync(path.join(examples, 'messages.jsonl')).size).toBeLessThan(1_000_000);
    expect(records.length).toBeGreaterThanOrEqual(2000);
    expect(records.length).toBeLessThanOrEqual(5000);
    expect(new Set(records.map((r) => r.stream))).toEqual(new Set(schemaOf.keys()));
  });

  test('has only RECORD and STATE messages whose streams and fields are in the catalog', () => {
    for (const message of messages) expect(['RECORD', 'STATE']).toContain(message.type);
    for (const record of records) {
      const properties = schemaOf.get(record.stream)?.properties ?? {};
      expect(Object.keys(record.data).filter((k) => !(k in properties)), record.stream).toEqual([]);
      expect(Number.isInteger(record.emitted_at)).toBe(true);
    }
  });

  test('interleaves the streams, each chunk checkpointed by a STREAM state with a unique id', () => {
    expect(messages.at(-1)?.type).toBe('STATE');
    for (const state of states) {
      expect(state.type).toBe('STREAM');
      expect(schemaOf.has(state.stream.stream_descriptor.name)).toBe(true);
    }
    const ids = states.map((s) => s.id);
    expect(ids.every(Number.isInteger)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Interleaved: the stream changes between consecutive states many times, not once per stream.
    const switches = states.filter((s, i) => i > 0 && s.stream.stream_descriptor.name !== states[i - 1]?.stream.stream_descriptor.name);
    expect(switches.length).toBeGreaterThanOrEqual(5);
  });

  test('has values that need CSV quoting and non-ASCII text', () => {
    const strings = records.flatMap((r) => Object.values(r.data).filter((v): v is string => typeof v === 'string'));
    expect(strings.some((s) => s.includes(','))).toBe(true);
    expect(strings.some((s) => s.includes('"'))).toBe(true);
    expect(strings.some((s) => s.includes(';'))).toBe(true);
    expect(strings.some((s) => /[^\x00-\x7f]/.test(s))).toBe(true);
  });

  test('has rows Marketo warns about (invalid email) and fails (no email, no VIN)', () => {
    const emails = records.filter((r) => r.stream === 'crm_contacts').map((r) => r.data.email);
    expect(emails).toContain('');
    expect(emails.some((e) => typeof e === 'string' && e !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e))).toBe(true);
    expect(records.some((r) => r.stream === 'vehicles' && r.data.vin === '')).toBe(true);
  });

  test('are exactly what scripts/make-examples.mjs generates', () => {
    const out = testTempDir('dmb-examples-');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/make-examples.mjs'), out], { stdio: 'pipe' });
    for (const file of ['config.json', 'catalog.json', 'messages.jsonl']) {
      expect(readFileSync(path.join(out, file), 'utf8') === read(file), `${file} is stale: run node scripts/make-examples.mjs`).toBe(true);
    }
  });
});
