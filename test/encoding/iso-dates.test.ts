import { describe, expect, it } from 'vitest';
import { toIsoDate, toIsoDateTime } from '../../src/encoding/iso-dates.js';

describe('toIsoDateTime: datetimes without an offset are read in the configured zone', () => {
  it.each<[string, string, string]>([
    // Standard and daylight saving time of the same zone.
    ['America/New_York', '2022-01-15T08:00:00', '2022-01-15T08:00:00-05:00'],
    ['America/New_York', '2022-07-15T08:00:00', '2022-07-15T08:00:00-04:00'],
    ['Europe/Berlin', '2022-11-22T01:23:45', '2022-11-22T01:23:45+01:00'],
    ['Europe/Berlin', '2022-06-01T00:00:00.5', '2022-06-01T00:00:00+02:00'],
    ['Asia/Kolkata', '2022-11-22T01:23:45', '2022-11-22T01:23:45+05:30'],
    ['Asia/Kathmandu', '2022-11-22T01:23', '2022-11-22T01:23:00+05:45'],
    ['Australia/Lord_Howe', '2022-01-10T12:00:00', '2022-01-10T12:00:00+11:00'],
    ['UTC', '2022-11-22T01:23:45', '2022-11-22T01:23:45+00:00'],
    // Clocks set back: 01:30 happens twice; the first (daylight) one is taken.
    ['America/New_York', '2022-11-06T01:30:00', '2022-11-06T01:30:00-04:00'],
    // Clocks set forward: 02:30 never happens; it is read with the offset before the change (07:30Z, 03:30 EDT).
    ['America/New_York', '2022-03-13T02:30:00', '2022-03-13T02:30:00-05:00'],
    // A date is its midnight in the zone.
    ['America/Chicago', '2024-02-29', '2024-02-29T00:00:00-06:00'],
    ['America/Chicago', '9999-12-21T10:00:00', '9999-12-21T10:00:00-06:00'],
    // Before standard time the zone's offset has seconds (local mean time), which Marketo's form cannot carry:
    // the same instant is written in UTC.
    ['America/New_York', '1504-02-29T12:00:00', '1504-02-29T16:56:02+00:00'],
    ['Europe/Amsterdam', '1504-02-29T00:10:00', '1504-02-28T23:52:30+00:00'],
  ])('%s: %s → %s', (zone, text, cell) => {
    expect(toIsoDateTime(text, zone)).toBe(cell);
  });

  it('keeps an explicit offset whatever the zone', () => {
    expect(toIsoDateTime('2022-07-15T08:00:00Z', 'America/New_York')).toBe('2022-07-15T08:00:00+00:00');
    expect(toIsoDateTime('2022-07-15T08:00:00+09:00', 'Europe/Berlin')).toBe('2022-07-15T08:00:00+09:00');
  });

  it('rejects times without a date and impossible dates in any zone', () => {
    expect(toIsoDateTime('08:00:00', 'UTC')).toBeUndefined();
    expect(toIsoDateTime('2023-02-29T08:00:00', 'Europe/Berlin')).toBeUndefined();
  });
});

describe('toIsoDate', () => {
  it.each<[string, string | undefined]>([
    ['1504-02-29', '1504-02-29'],
    ['9999-12-21', '9999-12-21'],
    ['2022-11-22T01:23:45', '2022-11-22'],
    ['2022-11-22T23:30:00-05:00', '2022-11-22'],
    ['1900-02-29', undefined],
    ['01:23:45', undefined],
  ])('%s → %s', (text, date) => {
    expect(toIsoDate(text)).toBe(date);
  });
});
