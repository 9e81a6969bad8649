import { describe, expect, it } from 'vitest';
import {
  ChunkEncoder,
  fromFailure,
  transferablesOf,
  type EncodedChunk,
  type EncodedItem,
  type EncodedRows,
  type EncoderPlan,
  type EncoderStream,
} from '../../src/encoding/chunk-encoder.js';
import type { Column } from '../../src/encoding/columns.js';
import type { FileFormat } from '../../src/marketo/file-format.js';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { ConnectorError } from '../../src/protocol/errors.js';
import type { LineChunk } from '../../src/protocol/line-chunks.js';
import { streamKey } from '../../src/protocol/messages.js';

const LEADS = streamKey('leads');
const OTHERS = streamKey('others', 'crm');
const MEMBERS = streamKey('members');

const columns = (...names: string[]): Column[] => names.map((name) => ({ name, source: name }));

const stream = (key: string, cols: Column[], keyColumns = [0], extra: Partial<EncoderStream> = {}): EncoderStream => ({
  key,
  columns: cols,
  keyColumns,
  ...extra,
});

const planOf = (streams: EncoderStream[], format: FileFormat = 'csv', maxBytes = 1_000_000): EncoderPlan => ({ streams, format, maxBytes });

const record = (name: string, data: Record<string, unknown>, namespace?: string): string =>
  JSON.stringify({ type: 'RECORD', record: { stream: name, ...(namespace === undefined ? {} : { namespace }), data, emitted_at: 1700000000000 } });

const stateMessage = (n: number) => ({ type: 'STATE', state: { type: 'LEGACY', data: { n } } });
const state = (n: number): string => JSON.stringify(stateMessage(n));

const chunkOf = (lines: string[], firstLine = 1): LineChunk => ({
  bytes: new TextEncoder().encode(lines.map((line) => `${line}\n`).join('')),
  firstLine,
});

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Each row of an EncodedRows as text, cut at its `ends`. */
const rowTexts = (rows: EncodedRows): string[] => {
  const out: string[] = [];
  let start = 0;
  for (const end of rows.ends) {
    out.push(decode(rows.bytes.subarray(start, end)));
    start = end;
  }
  expect(start).toBe(rows.bytes.byteLength);
  return out;
};

const rowsItems = (chunk: EncodedChunk): EncodedRows[] => chunk.items.filter((item): item is EncodedRows => item.kind === 'rows');

/** Items with rows shown as their stream and lines, for whole-sequence comparisons. */
const summary = (items: EncodedItem[]): unknown[] =>
  items.map((item) => (item.kind === 'rows' ? { rows: item.stream, ...(item.group ? { group: item.group } : {}), lines: rowTexts(item) } : item));

describe('ChunkEncoder rows', () => {
  it.each([
    ['csv', ',', ['a,b', '"a,b"'], ['a;b', 'a;b'], ['a\tb', 'a\tb']],
    ['tsv', '\t', ['a,b', 'a,b'], ['a;b', 'a;b'], ['a\tb', '"a\tb"']],
    ['ssv', ';', ['a,b', 'a,b'], ['a;b', '"a;b"'], ['a\tb', 'a\tb']],
  ] as const)('writes %s lines with CRLF, quoting cells with the delimiter, a quote, CR or LF', (format, d, comma, semicolon, tab) => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email', 'name', 'note'))], format));
    const encoded = encoder.encode(
      chunkOf([
        record('leads', { email: 'a@x.com', name: 'Ann', note: 'plain' }),
        record('leads', { email: 'b@x.com', name: comma[0], note: semicolon[0] }),
        record('leads', { email: 'c@x.com', name: tab[0], note: 'say "hi"' }),
        record('leads', { email: 'd@x.com', name: 'one\ntwo', note: 'cr\rhere' }),
        record('leads', { email: 'e@x.com', note: 'x' }),
      ]),
    );
    expect(encoded.records).toBe(5);
    expect(encoded.failure).toBeUndefined();
    expect(encoded.items).toHaveLength(1);
    const [rows] = rowsItems(encoded);
    expect(rows!.stream).toBe(LEADS);
    expect(rows!.group).toBeUndefined();
    expect(rows!.lookups).toBeUndefined();
    const expected = [
      `a@x.com${d}Ann${d}plain\r\n`,
      `b@x.com${d}${comma[1]}${d}${semicolon[1]}\r\n`,
      `c@x.com${d}${tab[1]}${d}"say ""hi"""\r\n`,
      `d@x.com${d}"one\ntwo"${d}"cr\rhere"\r\n`,
      `e@x.com${d}${d}x\r\n`,
    ];
    expect(decode(rows!.bytes)).toBe(expected.join(''));
    expect(rowTexts(rows!)).toEqual(expected);
    expect([...rows!.keys]).toEqual(['a@x.com', 'b@x.com', 'c@x.com', 'd@x.com', 'e@x.com'].map(hash52));
  });

  it('gives each row end as a UTF-8 byte offset, multi-byte characters included', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email', 'name'))]));
    const encoded = encoder.encode(
      chunkOf([
        record('leads', { email: 'a', name: '中文' }), // a,中文\r\n: 1 + 1 + 6 + 2 = 10
        record('leads', { email: '😀', name: 'b' }), // 😀,b\r\n: 4 + 1 + 1 + 2 = 8
        record('leads', { email: 'c', name: 'é' }), // c,é\r\n: 1 + 1 + 2 + 2 = 6
        record('leads', { email: 'd', name: 'e' }), // d,e\r\n: 5
      ]),
    );
    const [rows] = rowsItems(encoded);
    expect([...rows!.ends]).toEqual([10, 18, 24, 29]);
    expect(rows!.bytes.byteLength).toBe(29);
    expect(rowTexts(rows!)).toEqual(['a,中文\r\n', '😀,b\r\n', 'c,é\r\n', 'd,e\r\n']);
    expect([...rows!.keys]).toEqual([hash52('a'), hash52('😀'), hash52('c'), hash52('d')]);
  });

  it('gives ASCII-only row ends as plain offsets', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email', 'name'))]));
    const [rows] = rowsItems(encoder.encode(chunkOf([record('leads', { email: 'a', name: 'bc' }), record('leads', { email: 'dd', name: '"' })])));
    expect([...rows!.ends]).toEqual([6, 15]);
    expect(rowTexts(rows!)).toEqual(['a,bc\r\n', 'dd,""""\r\n']);
  });

  it('hashes the converted lookup cell, and the \\u0000-joined cells of a multi-column key', () => {
    const single = new ChunkEncoder(planOf([stream(LEADS, [{ name: 'id', source: 'id', type: 'integer' }, ...columns('name')])]));
    const [one] = rowsItems(single.encode(chunkOf([record('leads', { id: '7.0', name: 'x' })])));
    expect(rowTexts(one!)).toEqual(['7,x\r\n']);
    expect([...one!.keys]).toEqual([hash52('7')]);

    const multi = new ChunkEncoder(planOf([stream(LEADS, columns('a', 'email', 'c'), [1, 2])]));
    const [two] = rowsItems(multi.encode(chunkOf([record('leads', { a: 'x', email: 'e@x', c: '中' }), record('leads', { a: 'y', email: 'f@x' })])));
    expect([...two!.keys]).toEqual([hash52('e@x\u0000中'), hash52('f@x\u0000')]);
  });

  it('counts records, rejected ones included, but not states or other messages', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, [{ name: 'email', source: 'email' }, { name: 'n', source: 'n', type: 'integer' }])]));
    const encoded = encoder.encode(
      chunkOf([record('leads', { email: 'a', n: 1 }), state(1), JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'm' } }), record('leads', { email: 'b', n: 'abc' })]),
    );
    expect(encoded.records).toBe(2);
  });
});

describe('ChunkEncoder order', () => {
  it('groups rows per stream between states, in the order their streams first came', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email')), stream(OTHERS, columns('id'))]));
    const encoded = encoder.encode(
      chunkOf(
        [
          record('leads', { email: 'a1' }),
          record('others', { id: 'b1' }, 'crm'),
          record('leads', { email: 'a2' }),
          state(1),
          record('leads', { email: 'a3' }),
        ],
        11,
      ),
    );
    expect(encoded.records).toBe(4);
    expect(summary(encoded.items)).toEqual([
      { rows: LEADS, lines: ['a1\r\n', 'a2\r\n'] },
      { rows: OTHERS, lines: ['b1\r\n'] },
      { kind: 'message', message: { type: 'STATE', line: 14, message: stateMessage(1), state: stateMessage(1).state } },
      { rows: LEADS, lines: ['a3\r\n'] },
    ]);
  });

  it('puts the stream that came first first, whichever it is in the plan', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email')), stream(OTHERS, columns('id'))]));
    const encoded = encoder.encode(chunkOf([record('others', { id: 'b1' }, 'crm'), record('leads', { email: 'a1' }), record('others', { id: 'b2' }, 'crm')]));
    expect(summary(encoded.items)).toEqual([
      { rows: OTHERS, lines: ['b1\r\n', 'b2\r\n'] },
      { rows: LEADS, lines: ['a1\r\n'] },
    ]);
  });

  it('passes OTHER messages on with their type and line, and skips blank lines', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email'))]));
    const log = JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'hello' } });
    const trace = JSON.stringify({ type: 'TRACE', trace: { type: 'ESTIMATE', emitted_at: 1 } });
    const encoded = encoder.encode(chunkOf(['', log, '   ', trace, '\r', record('leads', { email: 'a' })], 5));
    expect(encoded.failure).toBeUndefined();
    expect(summary(encoded.items)).toEqual([
      { kind: 'message', message: { type: 'OTHER', line: 6, messageType: 'LOG' } },
      { kind: 'message', message: { type: 'OTHER', line: 8, messageType: 'TRACE' } },
      { rows: LEADS, lines: ['a\r\n'] },
    ]);
    expect(encoder.encode(chunkOf(['', '  ', '']))).toEqual({ items: [], records: 0 });
  });
});

describe('ChunkEncoder rejections', () => {
  it('rejects a value its column cannot take, with the field named and the record\'s lookup, and writes no row for it', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, [...columns('email'), { name: 'leadScore', source: 'score', type: 'integer' }])]));
    const encoded = encoder.encode(
      chunkOf([record('leads', { email: 'a@x', score: 1 }), record('leads', { email: 'b@x', score: 'abc' }), record('leads', { email: 'c@x', score: '3' })]),
    );
    expect(encoded.records).toBe(3);
    expect(summary(encoded.items)).toEqual([
      // The record as received, for the files of rejected records.
      { kind: 'rejected', stream: LEADS, reason: 'Invalid data type in field leadScore (input line 2)', lookup: 'b@x', record: { email: 'b@x', score: 'abc' }, emittedAt: 1700000000000 },
      { rows: LEADS, lines: ['a@x,1\r\n', 'c@x,3\r\n'] },
    ]);
  });

  it('rejects a row that does not fit beside the header in max_file_bytes, measured in UTF-8 bytes', () => {
    // Header "email,name\r\n" is 12 bytes, so a row may take 8.
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email', 'name'))], 'csv', 20));
    const encoded = encoder.encode(
      chunkOf([
        record('leads', { email: 'a', name: 'bbbb' }), // 8 bytes: exactly fills the file
        record('leads', { email: 'b', name: 'bbbbb' }), // 9 bytes
        record('leads', { email: 'c', name: '中' }), // 7 bytes
        record('leads', { email: 'd', name: '中中' }), // 10 bytes in 6 UTF-16 units
        record('leads', { email: 'e', name: '😀' }), // 8 bytes
      ]),
    );
    const tooLarge = 'the row alone is larger than batching.max_file_bytes';
    expect(summary(encoded.items)).toEqual([
      { kind: 'rejected', stream: LEADS, reason: `${tooLarge} (input line 2)`, lookup: 'b', record: { email: 'b', name: 'bbbbb' }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: LEADS, reason: `${tooLarge} (input line 4)`, lookup: 'd', record: { email: 'd', name: '中中' }, emittedAt: 1700000000000 },
      { rows: LEADS, lines: ['a,bbbb\r\n', 'c,中\r\n', 'e,😀\r\n'] },
    ]);
    expect(encoded.records).toBe(5);
  });
});

describe('ChunkEncoder values that cannot be written as the source sent them', () => {
  const encoder = new ChunkEncoder(planOf([stream(LEADS, [...columns('email', 'note'), { name: 'score', source: 'score', type: 'integer' }])]));
  /** A RECORD line with `data` given as JSON text, so that numbers JSON cannot carry reach the parser as written. */
  const recordStart = '{"type":"RECORD","record":{"stream":"leads","emitted_at":1,"data":';
  const rawRecord = (data: string): string => `${recordStart}${data}}}`;

  it('rejects a record nested deeper than JSON.stringify can go, naming its line and field, and goes on', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const encoded = encoder.encode(chunkOf([record('leads', { email: 'a@x' }), rawRecord(`{"email":"deep@x","note":${deep}}`), record('leads', { email: 'c@x' })]));
    expect(encoded.failure).toBeUndefined();
    expect(encoded.records).toBe(3);
    expect(summary(encoded.items)).toEqual([
      { kind: 'rejected', stream: LEADS, reason: 'Field "note" is nested too deeply to be written as JSON text (input line 2)', lookup: 'deep@x', record: { email: 'deep@x', note: null }, nulled: ['note'], emittedAt: 1 },
      { rows: LEADS, lines: ['a@x,,\r\n', 'c@x,,\r\n'] },
    ]);
  });

  it('rejects numbers JSON.parse has already changed, in a string field, inside JSON text, and in an integer field', () => {
    const encoded = encoder.encode(
      chunkOf([
        rawRecord('{"email":"inf@x","note":1e400}'),
        rawRecord('{"email":"big@x","note":12345678901234567890}'),
        rawRecord('{"email":"nested@x","note":{"id":9007199254740993}}'),
        rawRecord('{"email":"score@x","score":-1e400}'),
        rawRecord('{"email":"ok@x","note":9007199254740991,"score":9007199254740991}'),
      ]),
    );
    expect(summary(encoded.items)).toEqual([
      { kind: 'rejected', stream: LEADS, reason: expect.stringMatching(/^Field "note" holds a number out of range, read as Infinity: .* \(input line 1\)$/), lookup: 'inf@x', record: expect.objectContaining({ email: 'inf@x' }), emittedAt: 1 },
      { kind: 'rejected', stream: LEADS, reason: expect.stringMatching(/^Field "note" holds an integer beyond 2\^53, read as 12345678901234567000: .* \(input line 2\)$/), lookup: 'big@x', record: expect.objectContaining({ email: 'big@x' }), emittedAt: 1 },
      { kind: 'rejected', stream: LEADS, reason: expect.stringMatching(/^Field "note" holds a number beyond 2\^53 or out of range inside it: .* \(input line 3\)$/), lookup: 'nested@x', record: expect.objectContaining({ email: 'nested@x' }), emittedAt: 1 },
      { kind: 'rejected', stream: LEADS, reason: expect.stringMatching(/^Field "score" holds a number out of range, read as -Infinity: .* \(input line 4\)$/), lookup: 'score@x', record: expect.objectContaining({ email: 'score@x' }), emittedAt: 1 },
      { rows: LEADS, lines: ['ok@x,9007199254740991,9007199254740991\r\n'] },
    ]);
  });

  it('reports each row written with U+FFFD for invalid UTF-8 or an unpaired surrogate, by its line, and no other', () => {
    const badUtf8 = Buffer.from([0xc3, 0x28, 0xff]);
    /** A RECORD line whose data is the parts' bytes, so that bytes that are not UTF-8 can sit in it. */
    const line = (...parts: (string | Buffer)[]): Buffer[] => [Buffer.from(recordStart), ...parts.map((p) => Buffer.from(p)), Buffer.from('}}\n')];
    const rawLines = [
      line('{"email":"bytes@x","note":"a', badUtf8, 'b"}'),
      line('{"email":"lone@x","note":"x\\ud800y"}'),
      line('{"email":"dropped@x","other":"', badUtf8, '"}'),
      line('{"email":"nested@x","note":{"t":"\\udc00"}}'),
      line('{"email":"real@x","note":"\uFFFD 😀"}'),
      line('{"email":"big@x","note":"', badUtf8, '","score":2e400}'),
    ];
    const encoded = encoder.encode({ bytes: Buffer.concat(rawLines.flat()), firstLine: 10 });
    expect(encoded.items.filter((item) => item.kind === 'replaced_text')).toEqual([
      { kind: 'replaced_text', stream: LEADS, line: 10 },
      { kind: 'replaced_text', stream: LEADS, line: 11 },
    ]);
    expect(rowTexts(rowsItems(encoded)[0]!)).toEqual(['bytes@x,a\uFFFD(\uFFFDb,\r\n', 'lone@x,x\uFFFDy,\r\n', 'dropped@x,,\r\n', 'nested@x,"{""t"":""\\udc00""}",\r\n', 'real@x,\uFFFD 😀,\r\n']);
    expect(encoded.records).toBe(6);
  });
});

describe('ChunkEncoder unknown fields', () => {
  it('reports a field outside the schema once per encoder, and never an _airbyte_ field', () => {
    const plan = planOf([stream(LEADS, columns('email'))]);
    const encoder = new ChunkEncoder(plan);
    const first = encoder.encode(
      chunkOf([record('leads', { email: 'a', extra: 1, _airbyte_raw_id: 'r', _airbyte_meta: {} }), record('leads', { email: 'b', extra: 2 })]),
    );
    expect(summary(first.items)).toEqual([
      { kind: 'unknown_field', stream: LEADS, field: 'extra' },
      { rows: LEADS, lines: ['a\r\n', 'b\r\n'] },
    ]);
    const second = encoder.encode(chunkOf([record('leads', { email: 'c', extra: 3, more: 4, _airbyte_extracted_at: 1 })], 3));
    expect(summary(second.items)).toEqual([
      { kind: 'unknown_field', stream: LEADS, field: 'more' },
      { rows: LEADS, lines: ['c\r\n'] },
    ]);
    const fresh = new ChunkEncoder(plan).encode(chunkOf([record('leads', { email: 'd', extra: 5 })]));
    expect(fresh.items[0]).toEqual({ kind: 'unknown_field', stream: LEADS, field: 'extra' });
  });
});

describe('ChunkEncoder grouped streams', () => {
  const group = { programId: 'programId', status: 'programMemberStatus' };
  const plan = planOf([stream(MEMBERS, columns('email', 'note'), [0], { group })]);
  const member = (email: string, programId: unknown, status: unknown, extra: Record<string, unknown> = {}): string =>
    record('members', {
      email,
      ...(programId === undefined ? {} : { programId }),
      ...(status === undefined ? {} : { programMemberStatus: status }),
      ...extra,
    });

  it('splits rows per program and status, with the group and each row\'s lookup text', () => {
    const encoder = new ChunkEncoder(plan);
    const encoded = encoder.encode(
      chunkOf([
        member('a@x', 1001, 'Registered'),
        member('b@x', 1002, 'Registered'),
        member('c@x', '1001', 'Registered', { note: 'n' }),
        member('d@x', 1001, 'Attended'),
        state(1),
        member('e@x', 1001, 'Registered'),
      ]),
    );
    expect(encoded.records).toBe(5);
    expect(encoded.items).toHaveLength(5);
    expect(summary(encoded.items)).toEqual([
      { rows: MEMBERS, group: { programId: '1001', status: 'Registered' }, lines: ['a@x,\r\n', 'c@x,n\r\n'] },
      { rows: MEMBERS, group: { programId: '1002', status: 'Registered' }, lines: ['b@x,\r\n'] },
      { rows: MEMBERS, group: { programId: '1001', status: 'Attended' }, lines: ['d@x,\r\n'] },
      { kind: 'message', message: { type: 'STATE', line: 5, message: stateMessage(1), state: stateMessage(1).state } },
      { rows: MEMBERS, group: { programId: '1001', status: 'Registered' }, lines: ['e@x,\r\n'] },
    ]);
    const rows = rowsItems(encoded);
    expect(rows.map((r) => r.lookups)).toEqual([['a@x', 'c@x'], ['b@x'], ['d@x'], ['e@x']]);
    expect([...rows[0]!.keys]).toEqual([hash52('a@x'), hash52('c@x')]);
  });

  it('rejects a record without its program or status, and does not report those fields as unknown', () => {
    const encoder = new ChunkEncoder(plan);
    const encoded = encoder.encode(
      chunkOf([
        member('a@x', undefined, 'Registered'),
        member('b@x', null, 'Registered'),
        member('c@x', '', 'Registered'),
        member('d@x', 7, undefined),
        member('e@x', 7, ''),
        member('f@x', 7, 5),
        member('g@x', 0, 'Registered'),
      ]),
    );
    const noProgram = "Value for field 'programId' not found";
    const noStatus = "Value for field 'programMemberStatus' not found";
    expect(encoded.records).toBe(7);
    expect(summary(encoded.items)).toEqual([
      { kind: 'rejected', stream: MEMBERS, reason: `${noProgram} (input line 1)`, lookup: 'a@x', record: { email: 'a@x', programMemberStatus: 'Registered' }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: MEMBERS, reason: `${noProgram} (input line 2)`, lookup: 'b@x', record: { email: 'b@x', programId: null, programMemberStatus: 'Registered' }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: MEMBERS, reason: `${noProgram} (input line 3)`, lookup: 'c@x', record: { email: 'c@x', programId: '', programMemberStatus: 'Registered' }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: MEMBERS, reason: `${noStatus} (input line 4)`, lookup: 'd@x', record: { email: 'd@x', programId: 7 }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: MEMBERS, reason: `${noStatus} (input line 5)`, lookup: 'e@x', record: { email: 'e@x', programId: 7, programMemberStatus: '' }, emittedAt: 1700000000000 },
      { kind: 'rejected', stream: MEMBERS, reason: `${noStatus} (input line 6)`, lookup: 'f@x', record: { email: 'f@x', programId: 7, programMemberStatus: 5 }, emittedAt: 1700000000000 },
      { rows: MEMBERS, group: { programId: '0', status: 'Registered' }, lines: ['g@x,\r\n'] },
    ]);
  });
});

describe('ChunkEncoder unknown streams and failures', () => {
  it('reports a record of a stream outside the plan at its absolute line, and stops the chunk there', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email'))]));
    const encoded = encoder.encode(
      chunkOf([record('leads', { email: 'a' }), state(1), record('leads', { email: 'b' }), record('leads', { email: 'c' }, 'crm'), record('leads', { email: 'd' }), state(2)], 100),
    );
    expect(encoded.failure).toBeUndefined();
    expect(encoded.records).toBe(3);
    expect(summary(encoded.items)).toEqual([
      { rows: LEADS, lines: ['a\r\n'] },
      { kind: 'message', message: { type: 'STATE', line: 101, message: stateMessage(1), state: stateMessage(1).state } },
      // Rows before the stop (line 102) are put in place first, so that everything stays in input order.
      { rows: LEADS, lines: ['b\r\n'] },
      { kind: 'unknown_stream', line: 103, stream: 'leads', namespace: 'crm' },
    ]);
    const withoutNamespace = encoder.encode(chunkOf([record('nowhere', { email: 'a' })], 7));
    expect(withoutNamespace.items).toEqual([{ kind: 'unknown_stream', line: 7, stream: 'nowhere' }]);
    expect(withoutNamespace.items[0]).not.toHaveProperty('namespace');
  });

  it('keeps what came before a bad JSON line and names the line in a system_error failure', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email'))]));
    const encoded = encoder.encode(chunkOf([record('leads', { email: 'a' }), state(1), record('leads', { email: 'b' }), '{"type":"RECO', record('leads', { email: 'c' })], 41));
    expect(encoded.records).toBe(2);
    expect(summary(encoded.items)).toEqual([
      { rows: LEADS, lines: ['a\r\n'] },
      { kind: 'message', message: { type: 'STATE', line: 42, message: stateMessage(1), state: stateMessage(1).state } },
      { rows: LEADS, lines: ['b\r\n'] },
    ]);
    let parseError = '';
    try {
      JSON.parse('{"type":"RECO');
    } catch (error) {
      parseError = (error as Error).message;
    }
    expect(encoded.failure).toEqual({ message: 'Input line 44 is not valid JSON.', failureType: 'system_error', internalMessage: parseError });

    const error = fromFailure(encoded.failure!);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.message).toBe('Input line 44 is not valid JSON.');
    expect(error.failureType).toBe('system_error');
    expect(error.internalMessage).toBe(parseError);
  });

  it('fails at a malformed message with the reader\'s message, without an internal message', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email'))]));
    const encoded = encoder.encode(chunkOf([JSON.stringify({ type: 'RECORD', record: { stream: 'leads', data: {} } })], 3));
    expect(encoded).toEqual({ items: [], records: 0, failure: { message: 'Input line 3 is a RECORD without a numeric emitted_at.', failureType: 'system_error' } });
    expect(fromFailure(encoded.failure!).internalMessage).toBeUndefined();
  });
});

describe('transferablesOf', () => {
  it('lists the bytes, ends, keys and emittedAt buffers of every rows item, each a buffer of its own', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email')), stream(OTHERS, columns('id'))]));
    // Enough rows that a pooled Buffer would be a view into a larger ArrayBuffer.
    const encoded = encoder.encode(
      chunkOf([record('leads', { email: '中a' }), record('others', { id: 'b' }, 'crm'), state(1), ...Array.from({ length: 50 }, (_, i) => record('leads', { email: `x${i}` }))]),
    );
    const rows = rowsItems(encoded);
    expect(rows).toHaveLength(3);
    const buffers = transferablesOf(encoded);
    expect(buffers).toEqual(rows.flatMap((r) => [r.bytes.buffer, r.ends.buffer, r.keys.buffer, r.emittedAt.buffer]));
    expect(buffers).toHaveLength(12);
    for (const [i, r] of rows.entries()) {
      expect(buffers[4 * i]).toBe(r.bytes.buffer);
      expect(buffers[4 * i + 1]).toBe(r.ends.buffer);
      expect(buffers[4 * i + 2]).toBe(r.keys.buffer);
      expect(buffers[4 * i + 3]).toBe(r.emittedAt.buffer);
      expect(Array.from(r.emittedAt)).toEqual(new Array(r.ends.length).fill(1700000000000));
      expect(r.bytes.byteOffset).toBe(0);
      expect(r.bytes.buffer.byteLength).toBe(r.bytes.byteLength);
      expect(r.ends.buffer.byteLength).toBe(4 * r.ends.length);
      expect(r.keys.buffer.byteLength).toBe(8 * r.keys.length);
    }
    expect(new Set(buffers).size).toBe(12);
    expect(transferablesOf({ items: [{ kind: 'message', message: { type: 'OTHER', line: 1, messageType: 'LOG' } }], records: 0 })).toEqual([]);
  });

  it('lets a chunk be posted with its buffers transferred and arrive intact', () => {
    const encoder = new ChunkEncoder(planOf([stream(LEADS, columns('email'))]));
    const encoded = encoder.encode(chunkOf([record('leads', { email: 'a' }), record('leads', { email: '😀' })]));
    const copy = structuredClone(encoded, { transfer: transferablesOf(encoded) });
    const [rows] = rowsItems(copy);
    expect(rowTexts(rows!)).toEqual(['a\r\n', '😀\r\n']);
    expect([...rows!.keys]).toEqual([hash52('a'), hash52('😀')]);
  });
});
