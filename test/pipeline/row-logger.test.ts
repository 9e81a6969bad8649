import { expect, test } from 'vitest';
import { RowLogger } from '../../src/pipeline/row-logger.js';

function logger() {
  const lines: string[] = [];
  return { lines, rows: new RowLogger((level, message) => lines.push(`${level} ${message}`)) };
}

test('a field outside the schema is warned about once, up to 100 per stream, then the rest are counted', () => {
  const { lines, rows } = logger();
  for (let i = 0; i < 100_000; i++) rows.unknownField('contacts', `f${i}`);
  rows.unknownField('contacts', 'f0'); // another encoder thread reporting the same field
  rows.unknownField('cars', 'color');
  expect(lines).toHaveLength(101);
  expect(lines[0]).toBe('WARN Stream "contacts": field "f0" is not in the stream\'s schema and is dropped');
  expect(lines.at(-1)).toBe('WARN Stream "cars": field "color" is not in the stream\'s schema and is dropped');
  rows.finish();
  expect(lines.slice(101)).toEqual(['WARN Stream "contacts": 99900 more field(s) not in the stream\'s schema dropped, not logged individually']);
});

test('rows whose text was replaced get one WARN per stream at the end, with their count and the first line', () => {
  const { lines, rows } = logger();
  rows.replacedText('contacts', 7);
  rows.replacedText('cars', 9);
  rows.replacedText('contacts', 12);
  expect(lines).toEqual([]);
  rows.finish();
  expect(lines).toEqual([
    'WARN Stream "contacts": 2 row(s) held invalid UTF-8 or unpaired UTF-16 surrogates, written with U+FFFD in their place; the first on input line 7',
    'WARN Stream "cars": 1 row(s) held invalid UTF-8 or unpaired UTF-16 surrogates, written with U+FFFD in their place; the first on input line 9',
  ]);
});
