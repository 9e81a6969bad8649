import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planColumns } from '../../src/encoding/columns.js';
import { CsvFileBuilder, type CsvFile } from '../../src/pipeline/csv-file.js';
import { defaultCell } from '../../src/encoding/cell-values.js';
import { DELIMITERS, type FileFormat } from '../../src/marketo/file-format.js';
import { ChunkEncoder } from '../../src/encoding/chunk-encoder.js';
import { streamKey } from '../../src/protocol/messages.js';
import { repoRoot } from '../helpers/cli.js';
import { hasReference, meltanoDir } from '../helpers/reference.js';

const edgeCases = path.join(repoRoot, 'test/fixtures/edge-cases');

interface Fixture {
  schemas: Map<string, unknown>;
  records: { stream: string; data: Record<string, unknown> }[];
}

function loadFixture(name: string, dir = meltanoDir): Fixture {
  const catalog = JSON.parse(readFileSync(path.join(dir, `${name}.catalog.json`), 'utf8')) as {
    streams: { stream: { name: string; json_schema: unknown } }[];
  };
  const records = readFileSync(path.join(dir, `${name}.messages.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; record?: { stream: string; data: Record<string, unknown> } })
    .flatMap((message) => (message.type === 'RECORD' && message.record ? [message.record] : []));
  return { schemas: new Map(catalog.streams.map(({ stream }) => [stream.name, stream.json_schema])), records };
}

/** Every stream of a fixture through the chunk encoder and the file builder, cutting small files to exercise the cut. */
function writeFixture(fixture: Fixture, format: FileFormat, maxBytes: number) {
  const streams = [...fixture.schemas].map(([stream, schema]) => ({ stream, key: streamKey(stream), columns: planColumns(schema) }));
  const encoder = new ChunkEncoder({ format, maxBytes, streams: streams.map(({ key, columns }) => ({ key, columns, keyColumns: [0] })) });
  const lines = fixture.records.map(({ stream, data }) => JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: 1 } }));
  const { items, failure } = encoder.encode({ bytes: Buffer.from(lines.join('\n')), firstLine: 1 });
  if (failure) throw new Error(failure.message);
  return streams.map(({ stream, key, columns }) => {
    const records = fixture.records.filter((record) => record.stream === stream);
    const builder = new CsvFileBuilder<Record<string, unknown>>({ header: columns.map((c) => c.name), format, maxBytes });
    const files: CsvFile<Record<string, unknown>>[] = [];
    const unknown: string[] = [];
    let sent = 0;
    for (const item of items) {
      if (!('stream' in item) || item.stream !== key) continue;
      if (item.kind === 'unknown_field') unknown.push(item.field);
      if (item.kind === 'rejected') throw new Error(item.reason);
      if (item.kind !== 'rows') continue;
      // One row at a time, so that each row's meta is its own record.
      for (let row = 0; row < item.ends.length; row++) {
        const start = row === 0 ? 0 : item.ends[row - 1]!;
        const one = { bytes: item.bytes.subarray(start, item.ends[row]), ends: Uint32Array.of(item.ends[row]! - start) };
        const data = records[sent++]!.data;
        if (builder.push(one, 0, data) === 0) {
          files.push(builder.cut() as CsvFile<Record<string, unknown>>);
          expect(builder.push(one, 0, data)).toBe(1);
        }
      }
    }
    const last = builder.cut();
    if (last) files.push(last);
    return { stream, columns, files, unknown };
  });
}

/** Every record of every stream reads back exactly, in order, from files of at most `maxBytes`. */
function readsBackExactly(fixture: Fixture, format: FileFormat, maxBytes: number): void {
  const written = writeFixture(fixture, format, maxBytes);
  expect(written.some(({ files }) => files.length > 1)).toBe(true);
  for (const { stream, columns, files } of written) {
    const readBack = files.flatMap((file) => {
      expect(file.bytes.length).toBeLessThanOrEqual(maxBytes);
      const [header, ...rows] = parse(file.bytes, { delimiter: DELIMITERS[format] }) as string[][];
      expect(header).toEqual(columns.map((c) => c.name));
      return rows;
    });
    const sent = files.flatMap((file) => file.rowMeta);
    expect(sent).toEqual(fixture.records.filter((record) => record.stream === stream).map((record) => record.data));
    expect(readBack).toEqual(sent.map((data) => columns.map((c) => (data[c.source] == null ? '' : defaultCell(data[c.source])))));
  }
}

describe.each<FileFormat>(['csv', 'tsv', 'ssv'])('edge-case fixture streams as %s files', (format) => {
  // Limits small enough that every fixture needs several files.
  it.each([
    ['strings', 160],
    ['nested', 260],
    ['odd-names', 130],
    ['duplicates', 40],
    ['multiple-states', 20],
  ])('%s: every record reads back exactly, in order, within %i bytes a file', (name, maxBytes) => {
    readsBackExactly(loadFixture(name, edgeCases), format, maxBytes);
  });
});

describe.skipIf(!hasReference).each<FileFormat>(['csv', 'tsv', 'ssv'])('Meltano fixture streams as %s files', (format) => {
  it.each([
    ['encoded_string_data', 160],
    ['array_data', 80],
    ['schema_no_properties', 60],
    ['user_location_data', 120],
    ['optional_attributes', 40],
  ])('%s: every record reads back exactly, in order, within %i bytes a file', (name, maxBytes) => {
    readsBackExactly(loadFixture(name), format, maxBytes);
  });
});

it('keeps NUL and other control characters of the own strings fixture byte for byte', () => {
  const [strings, inObjects] = writeFixture(loadFixture('strings', edgeCases), 'csv', 10_000);
  const text = strings?.files[0]?.bytes.toString('utf8') ?? '';
  expect(text).toContain('13,Control characters: \u0000 A \u0001 \u001f \u007f\r\n');
  expect(text).toContain('8,back\\slash and / slash\r\n');
  expect(text).toContain('9,"line\nbreak"\r\n');
  expect(text).toContain('14,Escaped text: \\u0000 \\u0041\r\n');
  expect(text).toContain('17,\r\n');
  expect(inObjects?.files[0]?.bytes.toString('utf8')).toContain(
    '1,"{""name"":""Zürich \\""HQ\\"""",""note"":""tab\\tand\\nnewline"",""nul"":""\\u0000""}"\r\n',
  );
});

it.skipIf(!hasReference)('keeps NUL and other control characters of encoded_string_data byte for byte', () => {
  const [strings] = writeFixture(loadFixture('encoded_string_data'), 'csv', 10_000);
  const text = strings?.files[0]?.bytes.toString('utf8') ?? '';
  expect(text).toContain('11,Control Characters in string: \u0000 A \u0001\r\n');
  expect(text).toContain('6,"various "" \\ / \n escape sequences"\r\n');
  expect(text).toContain('10,Double quoting: \\u0000 \\u0041 \\u0001\r\n');
});

it('reports fields missing from the schema once per stream', () => {
  const fixture: Fixture = {
    schemas: new Map([['s', { properties: { id: {} } }]]),
    records: [
      { stream: 's', data: { id: 1, extra: 'a' } },
      { stream: 's', data: { id: 2, extra: 'b', more: 1 } },
    ],
  };
  const [written] = writeFixture(fixture, 'csv', 1_000);
  expect(written?.unknown).toEqual(['extra', 'more']);
  expect(written?.files[0]?.bytes.toString()).toBe('id\r\n1\r\n2\r\n');
});
