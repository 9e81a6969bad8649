// Every Meltano SDK target-test stream (converted to Airbyte form in ../shared) through the built connector into the
// emulator. Each stream goes to a custom object seeded with the stream's fields, deduplicated on its primary key
// (or its first field when it has none).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { sharedDir } from '../helpers/cli.js';
import { expectedStates, runWrite } from '../helpers/sync.js';

const dir = path.join(sharedDir, 'fixtures/meltano-target-tests');
const names = readdirSync(dir)
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

describe('Meltano target-test streams', () => {
  test('the fixture set is all there', () => expect(names.length).toBe(15));

  test.each(names)('%s', async (name) => {
    const catalog = JSON.parse(readFileSync(path.join(dir, `${name}.catalog.json`), 'utf8')) as { streams: Stream[] };
    const messages = readFileSync(path.join(dir, `${name}.messages.jsonl`), 'utf8');
    emulator = await startEmulator({
      seed: {
        customObjects: catalog.streams.map((s) => ({
          apiName: apiNameOf(s.stream.name),
          displayName: s.stream.name,
          pluralName: s.stream.name,
          description: 'from a Meltano fixture',
          dedupeFields: keyOf(s),
          fields: Object.entries(s.stream.json_schema.properties).map(([field, schema]) => ({
            name: field,
            displayName: field,
            dataType: dataTypeOf(schema.type),
          })),
        })),
      },
    });
    const stream_mappings = catalog.streams.map((s) => ({
      stream: s.stream.name,
      object: { type: 'custom_object', api_name: apiNameOf(s.stream.name) },
    }));
    // What should land: the last record for each key; a record without its key is rejected by Marketo.
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

    const result = await runWrite(emulator, { config: { stream_mappings }, catalog, messages });
    expect(result.traces).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.states).toEqual(expectedStates(messages, rejectedByState));
    for (const s of catalog.streams) {
      const stored = emulator.store.customObjects(apiNameOf(s.stream.name));
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
  });
});
