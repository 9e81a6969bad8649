import { describe, expect, test } from 'vitest';
import { cellKind, checkCell, keyOf, storedValue, type CellKind } from '../../src/emulator/seed/cells.js';

describe('cell rules', () => {
  test('map Marketo data types to kinds', () => {
    expect(['integer', 'currency', 'float', 'boolean', 'date', 'datetime', 'email', 'phone', 'string'].map(cellKind)).toEqual([
      'integer',
      'number',
      'number',
      'boolean',
      'date',
      'datetime',
      'email',
      'text',
      'text',
    ]);
  });

  const cases: [CellKind, string, 'ok' | 'invalid' | 'warn'][] = [
    ['integer', '42', 'ok'],
    ['integer', '-7', 'ok'],
    ['integer', '4.5', 'invalid'],
    ['integer', 'TEXT_VALUE_IN_INTEGER_FIELD', 'invalid'],
    ['number', '1234.50', 'ok'],
    ['number', '1e3', 'ok'],
    ['number', '12,5', 'invalid'],
    ['boolean', 'TRUE', 'ok'],
    ['boolean', '0', 'ok'],
    ['boolean', 'yes', 'invalid'],
    ['date', '2010-05-07', 'ok'],
    ['date', '2010-02-30', 'invalid'],
    ['date', '05/07/2010', 'invalid'],
    ['datetime', '2010-05-07T15:41:32-05:00', 'ok'],
    ['datetime', '2010-05-07T15:41:32Z', 'ok'],
    ['datetime', '2010-05-07 15:41', 'ok'],
    ['datetime', '2010-05-07T25:00:00Z', 'invalid'],
    ['email', 'a@b.co', 'ok'],
    ['email', 'INVALID_EMAIL', 'warn'],
    ['text', 'anything at all', 'ok'],
    ['integer', '', 'ok'],
  ];
  test.each(cases)('%s %j is %s', (kind, raw, expected) => {
    expect(checkCell(kind, raw)).toBe(expected);
  });

  test('store typed values, and null for an empty cell', () => {
    expect(storedValue('integer', '42')).toBe(42);
    expect(storedValue('number', '2.5')).toBe(2.5);
    expect(storedValue('boolean', 'True')).toBe(true);
    expect(storedValue('boolean', '0')).toBe(false);
    expect(storedValue('date', '2010-05-07')).toBe('2010-05-07');
    expect(storedValue('text', '')).toBeNull();
  });

  test('match emails without case and integers by value', () => {
    expect(keyOf('email', 'Ann@Example.COM')).toBe(keyOf('email', 'ann@example.com'));
    expect(keyOf('integer', '007')).toBe('7');
    expect(keyOf('text', 'Abc')).not.toBe(keyOf('text', 'abc'));
  });
});
