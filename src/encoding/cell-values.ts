import type { MarketoType } from './columns.js';
import { toIsoDate, toIsoDateTime } from './iso-dates.js';

/** Writes one non-null record value as a cell, or returns undefined when it cannot be converted. */
export type CellConverter = (value: unknown) => string | undefined;

/** The rules for columns without a Marketo type (and for Marketo's text-like types). */
export function defaultCell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

// Digits on both sides of a decimal point: "5." and ".5" are left to fail rather than be guessed at.
const DECIMAL = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A whole number written as text, optionally with a zero fraction such as "3.0".
const WHOLE = /^[+-]?\d+(?:\.0+)?$/;

function toInteger(value: unknown): string | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && WHOLE.test(value) ? Number(value) : NaN;
  // Beyond 2^53 the digits we would write are not the digits we were given.
  return Number.isSafeInteger(number) ? String(number) : undefined;
}

function toDecimal(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  // Numeric text is kept as written: going through a double could round its digits.
  if (typeof value === 'string' && DECIMAL.test(value) && Number.isFinite(Number(value))) return value;
  return undefined;
}

function toBoolean(value: unknown): string | undefined {
  if (value === true || value === 1) return 'true';
  if (value === false || value === 0) return 'false';
  if (typeof value !== 'string') return undefined;
  switch (value.toLowerCase()) {
    case 'true':
    case '1':
      return 'true';
    case 'false':
    case '0':
      return 'false';
    default:
      return undefined;
  }
}

const ifString =
  (convert: (text: string) => string | undefined): CellConverter =>
  (value) =>
    typeof value === 'string' ? convert(value) : undefined;

const CONVERTERS: Record<MarketoType, CellConverter> = {
  string: defaultCell,
  integer: toInteger,
  number: toDecimal,
  boolean: toBoolean,
  date: ifString(toIsoDate),
  // Epoch numbers are rejected, not guessed at: seconds and milliseconds look alike.
  datetime: ifString(toIsoDateTime),
};

export function converterFor(type: MarketoType | undefined): CellConverter {
  return type === undefined ? defaultCell : CONVERTERS[type];
}
