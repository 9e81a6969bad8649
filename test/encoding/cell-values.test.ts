import { describe, expect, it } from 'vitest';
import { converterFor, defaultCell } from '../../src/encoding/cell-values.js';
import type { MarketoType } from '../../src/encoding/columns.js';

describe('defaultCell', () => {
  it.each<[unknown, string]>([
    ['as is', 'as is'],
    ['', ''],
    [42, '42'],
    [-1.5, '-1.5'],
    [1e21 / 1e6, '1000000000000000'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [1e-7, '1e-7'],
    [true, 'true'],
    [false, 'false'],
    [{ a: [1, 'x'] }, '{"a":[1,"x"]}'],
    [['apple', 'pear'], '["apple","pear"]'],
    [[], '[]'],
  ])('writes %j as %j', (value, cell) => {
    expect(defaultCell(value)).toBe(cell);
  });

  // JSON.parse has already changed these: writing them would send digits the source never had.
  it.each<[string, string]>([
    ['1e400', 'holds a number out of range, read as Infinity'],
    ['-1e400', 'holds a number out of range, read as -Infinity'],
    ['12345678901234567890', 'holds an integer beyond 2^53, read as 12345678901234567000'],
    ['9007199254740993', 'holds an integer beyond 2^53, read as 9007199254740992'],
    ['1e21', 'holds an integer beyond 2^53, read as 1e+21'],
  ])('refuses the number %s, which %s', (json, refused) => {
    expect(defaultCell(JSON.parse(json))).toEqual({ refused: expect.stringContaining(refused) });
  });

  it.each(['{"a":[1,{"b":1e400}]}', '[12345678901234567890]', '{"n":-9007199254740993}'])('refuses JSON text whose numbers JSON.parse changed: %s', (json) => {
    expect(defaultCell(JSON.parse(json))).toEqual({ refused: expect.stringContaining('beyond 2^53 or out of range inside it') });
  });

  it('writes JSON text that only looks like it might hold such a number', () => {
    const value = { n: null, big: '12345678901234567890', note: 'one+one', safe: [9007199254740991, -1.5e-300] };
    expect(defaultCell(value)).toBe(JSON.stringify(value));
  });

  it('refuses a value nested deeper than JSON.stringify can go, and writes one just below', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as object;
    expect(defaultCell(deep)).toEqual({ refused: 'is nested too deeply to be written as JSON text' });
    expect(defaultCell(JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`))).toBe(`${'['.repeat(500)}${']'.repeat(500)}`);
  });
});

const refused = expect.objectContaining({ refused: expect.any(String) }) as unknown as string;

/** [input, expected cell, undefined for a rejection with Marketo's reason, or `refused` for a reason of our own] */
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
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    [2 ** 53, refused],
    [-(2 ** 60), refused],
    [Number.POSITIVE_INFINITY, refused],
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
    [2 ** 60, '1152921504606847000'], // the double Marketo would read from the source's digits too
    [Number.POSITIVE_INFINITY, refused],
    [Number.NEGATIVE_INFINITY, refused],
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
    // Without an offset: a wall-clock time in naive_datetime_time_zone (UTC by default); a date is its midnight.
    ['2010-05-07T15:41:32', '2010-05-07T15:41:32+00:00'],
    ['2022-11-22T01:23:45.123456', '2022-11-22T01:23:45+00:00'],
    ['2010-05-07', '2010-05-07T00:00:00+00:00'],
    ['1504-02-29T01:02:03', '1504-02-29T01:02:03+00:00'],
    ['9999-12-21T23:59:59+00:00', '9999-12-21T23:59:59+00:00'],
    ['01:23:45', undefined],
    ['01:23:45+02:00', undefined],
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
    [2 ** 53, refused],
    [Number.POSITIVE_INFINITY, refused],
    [{ a: 2 ** 60 }, refused],
  ],
};

describe.each(Object.entries(cases) as [MarketoType, Case[]][])('converterFor(%s)', (type, table) => {
  it.each(table)('%j → %j', (input, expected) => {
    expect(converterFor(type)(input)).toEqual(expected);
  });
});

it('converterFor(undefined) uses the default rules', () => {
  expect(converterFor(undefined)).toBe(defaultCell);
});
