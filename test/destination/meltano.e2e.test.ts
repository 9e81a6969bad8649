// Edge-case streams through the built connector into the emulator: the project's own (test/fixtures/edge-cases, with
// the results they must give written below) and, where the reference folder is present, every Meltano SDK
// target-test stream (converted to Airbyte form). Each stream goes to a custom object seeded with the stream's fields,
// deduplicated on its primary key (or its first field when it has none).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { repoRoot } from '../helpers/cli.js';
import { hasReference, meltanoDir } from '../helpers/reference.js';
import { expectedStates, runWrite, type SyncResult } from '../helpers/sync.js';

const edgeCasesDir = path.join(repoRoot, 'test/fixtures/edge-cases');
const namesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.catalog.json'))
    .map((f) => f.replace('.catalog.json', ''));

type Json = Record<string, unknown>;
interface Stream {
  stream: { name: string; json_schema: { properties: Record<string, { type?: string | string[] }> } };
  primary_key?: string[][];
}

const apiNameOf = (stream: string) => `${stream.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_c`;
const DATA_TYPES: Record<string, string> = { integer: 'integer', number: 'float', boolean: 'boolean' };
const dataTypeOf = (type: string | string[] | undefined) =>
  DATA_TYPES[(Array.isArray(type) ? type.find((t) => t !== 'null') : type) ?? ''] ?? 'string';
const keyOf = (s: Stream) => {
  const pk = (s.primary_key ?? []).flat();
  return pk.length > 0 ? pk : [Object.keys(s.stream.json_schema.properties)[0]!];
};
/** The cell a value becomes, by the write path's rules. */
const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

/**
 * Syncs one fixture and checks it against a model of Marketo: the last record for each key lands, a record without
 * its key is rejected, and every state is echoed with its counts.
 */
async function syncsLikeMarketo(dir: string, name: string): Promise<{ emulator: Emulator; result: SyncResult }> {
  const read = (suffix: string) => readFileSync(path.join(dir, `${name}.${suffix}`), 'utf8');
  const catalog = JSON.parse(read('catalog.json')) as { streams: Stream[] };
  const messages = read('messages.jsonl');
  const started = await startEmulator({
    seed: {
      customObjects: catalog.streams.map((s) => ({
        apiName: apiNameOf(s.stream.name),
        displayName: s.stream.name,
        pluralName: s.stream.name,
        description: 'from an edge-case fixture',
        dedupeFields: keyOf(s),
        fields: Object.entries(s.stream.json_schema.properties).map(([field, schema]) => ({
          name: field,
          displayName: field,
          dataType: dataTypeOf(schema.type),
        })),
      })),
    },
  });
  emulator = started;
  const stream_mappings = catalog.streams.map((s) => ({
    stream: s.stream.name,
    object: { type: 'custom_object', api_name: apiNameOf(s.stream.name) },
  }));
  const expected = new Map<string, Map<string, Json>>();
  const rejectedByState: Record<number, number> = {};
  let rejectedSinceState = 0;
  for (const line of messages.split('\n').filter(Boolean)) {
    const message = JSON.parse(line) as { type: string; record?: { stream: string; data: Json }; state?: { id: number } };
    if (message.type === 'STATE') {
      rejectedByState[message.state!.id] = rejectedSinceState;
      rejectedSinceState = 0;
      continue;
    }
    if (message.type !== 'RECORD') continue;
    const stream = catalog.streams.find((s) => s.stream.name === message.record!.stream)!;
    const key = keyOf(stream).map((k) => cell(message.record!.data[k]));
    if (key.some((k) => k === '')) {
      rejectedSinceState++;
      continue;
    }
    const rows = expected.get(stream.stream.name) ?? new Map<string, Json>();
    rows.set(key.join('\u0000'), message.record!.data);
    expected.set(stream.stream.name, rows);
  }

  const result = await runWrite(started, { config: { stream_mappings }, catalog, messages });
  expect(result.traces).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.states).toEqual(expectedStates(messages, rejectedByState));
  for (const s of catalog.streams) {
    const stored = started.store.customObjects(apiNameOf(s.stream.name));
    const want = [...(expected.get(s.stream.name)?.values() ?? [])];
    expect(stored).toHaveLength(want.length);
    for (const record of want) {
      const key = keyOf(s);
      const row = stored.find((r) => key.every((k) => cell(r[k]) === cell(record[k])));
      expect(row, `${s.stream.name} ${JSON.stringify(record)}`).toBeDefined();
      for (const field of Object.keys(s.stream.json_schema.properties)) {
        expect(cell(row![field]), `${s.stream.name}.${field}`).toBe(cell(record[field]));
      }
    }
  }
  return { emulator: started, result };
}

/** Stored rows of a custom object, by key, as the given fields. */
const storedBy = (e: Emulator, apiName: string, key: string, fields: string[]) =>
  Object.fromEntries(e.store.customObjects(apiName).map((row) => [String(row[key]), fields.map((f) => row[f])]));

describe('the project’s edge-case streams', () => {
  test('the fixture set is all there', () =>
    expect(namesIn(edgeCasesDir).sort()).toEqual(['duplicates', 'multiple-states', 'nested', 'odd-names', 'strings']));

  test('strings: unicode, quotes, line breaks and control characters land unchanged', async () => {
    const { emulator: e } = await syncsLikeMarketo(edgeCasesDir, 'strings');
    const info = storedBy(e, 'strings_c', 'id', ['info']);
    expect(Object.keys(info)).toHaveLength(17);
    expect(info['3']).toEqual(['简单的字串']);
    expect(info['5']).toEqual(['emoji 🚀👩‍💻 and flags 🇨🇭']);
    expect(info['10']).toEqual(['carriage\r\nreturn']);
    expect(info['13']).toEqual(['Control characters: \u0000 A \u0001 \u001f \u007f']);
    expect(info['14']).toEqual(['Escaped text: \\u0000 \\u0041']);
    expect(info['16']).toEqual(['  leading and trailing spaces  ']);
    expect(storedBy(e, 'strings_in_objects_c', 'id', ['info'])['1']).toEqual([
      '{"name":"Zürich \\"HQ\\"","note":"tab\\tand\\nnewline","nul":"\\u0000"}',
    ]);
  });

  test('odd names: stream and field names with colons, spaces, dots, commas and quotes', async () => {
    const { emulator: e } = await syncsLikeMarketo(edgeCasesDir, 'odd-names');
    expect(storedBy(e, 'odd_stream_name_x_c', '_id', ['agent:os:version', 'Field With Spaces', 'ünïcödé', 'comma,name', '"quoted"'])).toEqual({
      a1: ['10.13.1', 'x', 'ü', 'c', 'q'],
      a2: ['11', null, 'ï', '1,2', '"q"'],
    });
  });

  test('nested: objects and arrays become JSON text', async () => {
    const { emulator: e } = await syncsLikeMarketo(edgeCasesDir, 'nested');
    expect(storedBy(e, 'nested_c', 'id', ['tags', 'matrix', 'empty_object'])).toEqual({
      1: ['["a","b","c"]', '[[1,2],[3,[4,{"five":5}]]]', '{}'],
      2: ['[]', '[null,true,1.5,"x"]', '{}'],
      3: ['["ünï","日本"]', null, null],
    });
  });

  test('duplicates: the last record of each key wins; one without its key is rejected', async () => {
    const { emulator: e, result } = await syncsLikeMarketo(edgeCasesDir, 'duplicates');
    expect(storedBy(e, 'dupes_c', 'id', ['metric', 'label'])).toEqual({ 1: [100, 'third'], 2: [20, 'second'], 3: [3, null] });
    expect(result.states.map((s) => s.destinationStats)).toEqual([
      { recordCount: 4, rejectedRecordCount: 0 },
      { recordCount: 3, rejectedRecordCount: 1 },
    ]);
  });

  test('multiple states: every STREAM state echoed once, in order, with its stream’s counts', async () => {
    const { result } = await syncsLikeMarketo(edgeCasesDir, 'multiple-states');
    expect(result.states.map((s) => [s.id, (s.destinationStats as Json).recordCount])).toEqual([
      [1, 0], [2, 1], [3, 1], [4, 1], [5, 0], [6, 2], [7, 1], [8, 0],
    ]);
  });
});

describe.skipIf(!hasReference)('Meltano target-test streams', () => {
  const names = hasReference ? namesIn(meltanoDir) : [];
  test('the fixture set is all there', () => expect(names.length).toBe(15));
  test.each(names)('%s', async (name) => {
    await syncsLikeMarketo(meltanoDir, name);
  });
});
