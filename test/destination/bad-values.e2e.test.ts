import { afterEach, beforeEach, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { loadFixture, runWrite } from '../helpers/sync.js';

// Values the connector cannot write as the source sent them get a reason or a warning, never silence, and the sync
// goes on: a record nested too deeply for JSON text, numbers JSON.parse has already changed, fields the schema lacks,
// and text UTF-8 cannot carry.

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

/** contacts: email, firstName (string) and leadScore (integer). */
const fixture = loadFixture('rejections');
const record = (data: string): string => `{"type":"RECORD","record":{"stream":"contacts","emitted_at":1,"data":${data}}}\n`;
const state = (id: number): string => `${JSON.stringify({ type: 'STATE', state: { type: 'LEGACY', id, data: { id } } })}\n`;
const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
const unknownFields = Array.from({ length: 150 }, (_, i) => `"extra${i}":${i}`).join(',');

const input = Buffer.concat([
  Buffer.from(
    [
      record('{"email":"ok1@example.com","firstName":"Ok"}'),
      record(`{"email":"deep@example.com","firstName":${deep}}`), // line 2
      record('{"email":"inf@example.com","firstName":1e400}'), // line 3
      record('{"email":"big@example.com","firstName":12345678901234567890}'), // line 4
      record('{"email":"score@example.com","leadScore":1e400}'), // line 5
      record(`{"email":"extra@example.com",${unknownFields}}`), // line 6
    ].join(''),
  ),
  // Line 7: bytes that are not UTF-8 in firstName. Line 8: an unpaired surrogate.
  Buffer.from('{"type":"RECORD","record":{"stream":"contacts","emitted_at":1,"data":{"email":"bytes@example.com","firstName":"A'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('z"}}}\n'),
  Buffer.from(record('{"email":"lone@example.com","firstName":"B\\ud800z"}') + state(1) + record('{"email":"ok2@example.com"}') + state(2)),
]);

test.each([0, 2])('rejected with a reason naming line and field, warned about with counts; the sync goes on (encoder threads: %i)', async (threads) => {
  const result = await runWrite(emulator, fixture, { stdin: input, config: { batching: { encoder_threads: threads } } });
  expect(result.traces).toEqual([]);
  expect(result.code).toBe(0);
  expect(result.states).toEqual([
    { type: 'LEGACY', data: { id: 1 }, id: 1, destinationStats: { recordCount: 4, rejectedRecordCount: 4 } },
    { type: 'LEGACY', data: { id: 2 }, id: 2, destinationStats: { recordCount: 1, rejectedRecordCount: 0 } },
  ]);
  const warns = result.logs.filter((l) => l.level === 'WARN').map((l) => l.message);
  const rejected = warns.filter((m) => m.includes('rejected'));
  expect(rejected).toEqual([
    'Stream "contacts": row "deep@example.com" rejected: Field "firstName" is nested too deeply to be written as JSON text (input line 2)',
    expect.stringMatching(/^Stream "contacts": row "inf@example.com" rejected: Field "firstName" holds a number out of range, read as Infinity: .* \(input line 3\)$/),
    expect.stringMatching(/^Stream "contacts": row "big@example.com" rejected: Field "firstName" holds an integer beyond 2\^53, read as 12345678901234567000: .* \(input line 4\)$/),
    expect.stringMatching(/^Stream "contacts": row "score@example.com" rejected: Field "leadScore" holds a number out of range, read as Infinity: .* \(input line 5\)$/),
  ]);
  // 150 fields outside the schema: 100 named, then one count.
  expect(warns.filter((m) => /field "extra\d+" is not in the stream's schema/.test(m))).toHaveLength(100);
  expect(warns).toContain('Stream "contacts": 50 more field(s) not in the stream\'s schema dropped, not logged individually');
  expect(warns.filter((m) => m.includes('U+FFFD'))).toEqual([
    'Stream "contacts": 2 row(s) held invalid UTF-8 or unpaired UTF-16 surrogates, written with U+FFFD in their place; the first on input line 7',
  ]);
  const leads = new Map(emulator.store.leads().map((lead) => [lead.email, lead]));
  expect([...leads.keys()].sort()).toEqual(['bytes@example.com', 'extra@example.com', 'lone@example.com', 'ok1@example.com', 'ok2@example.com']);
  expect(leads.get('bytes@example.com')?.firstName).toBe('A\uFFFD\uFFFDz');
  expect(leads.get('lone@example.com')?.firstName).toBe('B\uFFFDz');
});
