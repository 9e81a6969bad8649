import { describe, expect, it } from 'vitest';
import { converterFor, defaultCell } from '../../src/encoding/cell-values.js';
import type { MarketoType } from '../../src/encoding/columns.js';

describe('defaultCell', () => {
  it.each<[unknown, string]>([
    ['as is', 'as is'],
    ['', ''],
    [42, '42'],
    [-1.5, '-1.5'],
    [1e21, '1e+21'],
    [true, 'true'],
    [false, 'false'],
    [{ a: [1, 'x'] }, '{"a":[1,"x"]}'],
    [['apple', 'pear'], '["apple","pear"]'],
    [[], '[]'],
  ])('writes %j as %j', (value, cell) => {
    expect(defaultCell(value)).toBe(cell);
  });
});

/** [input, expected cell or undefined for a rejection] */
type Case = [unknown, string | undefined];

const cases: Record<MarketoType, Case[]> = {
  integer: [
    [42, '42'],
    [-7, '-7'],
    [3.0, '3'],
    ['42', '42'],
    ['-42', '-42'],
    ['3.0', '3'],
    ['0042', '42'],
    [4.5, undefined],
    ['4.5', undefined],
    ['', undefined],
    [' 42', undefined],
    ['1e3', undefined],
    ['abc', undefined],
    [2 ** 53, undefined],
    ['9007199254740993', undefined],
    [true, undefined],
    [{}, undefined],
  ],
  number: [
    [4.5, '4.5'],
    [-0.25, '-0.25'],
    [10, '10'],
    ['4.5', '4.5'],
    ['12345678901234567890.123456789', '12345678901234567890.123456789'],
    ['1.5e3', '1.5e3'],
    ['-3', '-3'],
    [Number.NaN, undefined],
    [Number.POSITIVE_INFINITY, undefined],
    ['1e999', undefined],
    ['4,5', undefined],
    ['.5', undefined],
    ['5.', undefined],
    ['', undefined],
    [false, undefined],
    [[1], undefined],
  ],
  boolean: [
    [true, 'true'],
    [false, 'false'],
    [1, 'true'],
    [0, 'false'],
    ['true', 'true'],
    ['TRUE', 'true'],
    ['False', 'false'],
    ['1', 'true'],
    ['0', 'false'],
    ['yes', undefined],
    ['', undefined],
    [2, undefined],
    [0.5, undefined],
    [{}, undefined],
  ],
  date: [
    ['2024-02-29', '2024-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['2024-01-31T23:59:59-05:00', '2024-01-31'],
    ['2024-01-31T10:00:00Z', '2024-01-31'],
    ['2024-01-31T10:00', '2024-01-31'],
    ['2023-02-29', undefined],
    ['1900-02-29', undefined],
    ['2024-04-31', undefined],
    ['2024-13-01', undefined],
    ['2024-00-10', undefined],
    ['2024-01-00', undefined],
    ['2023-02-30T10:00:00Z', undefined],
    ['2024-01-31T24:00:00Z', undefined],
    ['2024-01-31T10:00:00+25:00', undefined],
    ['2024-1-5', undefined],
    ['31/01/2024', undefined],
    ['', undefined],
    [1706659200000, undefined],
  ],
  datetime: [
    ['2010-05-07T15:41:32-05:00', '2010-05-07T15:41:32-05:00'],
    ['2010-05-07T15:41:32Z', '2010-05-07T15:41:32+00:00'],
    ['2010-05-07T15:41:32.987654+02:00', '2010-05-07T15:41:32+02:00'],
    ['2010-05-07T15:41+0530', '2010-05-07T15:41:00+05:30'],
    ['2010-05-07T15:41:32-03', '2010-05-07T15:41:32-03:00'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00+00:00'],
    ['2010-05-07T15:41:32', undefined],
    ['2010-05-07', undefined],
    ['2010-05-07 15:41:32Z', undefined],
    ['2023-02-29T00:00:00Z', undefined],
    ['2010-05-07T15:60:00Z', undefined],
    ['2010-05-07T15:41:60Z', undefined],
    ['2010-05-07T15:41:32+05:60', undefined],
    ['2010-05-07T15:41:32z', undefined],
    [1273264892, undefined],
    [1273264892000, undefined],
    ['', undefined],
  ],
  string: [
    ['x', 'x'],
    [5, '5'],
    [false, 'false'],
    [{ a: 1 }, '{"a":1}'],
  ],
};

describe.each(Object.entries(cases) as [MarketoType, Case[]][])('converterFor(%s)', (type, table) => {
  it.each(table)('%j → %j', (input, expected) => {
    expect(converterFor(type)(input)).toBe(expected);
  });
});

it('converterFor(undefined) uses the default rules', () => {
  expect(converterFor(undefined)).toBe(defaultCell);
});
