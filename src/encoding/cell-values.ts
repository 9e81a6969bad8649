import type { MarketoType } from './columns.js';
import { toIsoDate, toIsoDateTime } from './iso-dates.js';

/** Why a value cannot be written as the source sent it, said of its field; the row is then rejected with it. */
export interface Refusal {
  refused: string;
}

/**
 * Writes one non-null record value as a cell. Returns undefined when the column's Marketo type cannot take it (the
 * row is rejected with Marketo's own reason), and a Refusal when the value cannot be written as the source sent it.
 */
export type CellConverter = (value: unknown) => string | Refusal | undefined;

/** The rules for columns without a Marketo type (and for Marketo's text-like types). */
export function defaultCell(value: unknown): string | Refusal {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : alteredNumber(value);
    case 'object':
      return jsonText(value as object);
    default:
      return String(value);
  }
}

/**
 * JSON.parse has already changed a number this large: 1e400 became Infinity, and an integer beyond 2^53 was rounded
 * to the nearest double. Writing it would send digits that are not the source's.
 */
function alteredNumber(value: number): Refusal {
  return Number.isFinite(value)
    ? { refused: `holds an integer beyond 2^53, read as ${value}: its last digits may no longer be the source's` }
    : { refused: `holds a number out of range, read as ${value}: its digits are no longer the source's` };
}

const ALTERED_INSIDE: Refusal = {
  refused: "holds a number beyond 2^53 or out of range inside it: JSON.parse has changed its digits, and JSON text would not be the source's",
};
const TOO_DEEP: Refusal = { refused: 'is nested too deeply to be written as JSON text' };
// In JSON text, Infinity is written as null and an integer beyond 2^53 with 16 digits or more, or an exponent.
const MAYBE_ALTERED = /null|\d{16}|e\+/;

function jsonText(value: object): string | Refusal {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    // JSON.stringify recurses: a record nested some thousands deep (JSON.parse, iterative, reads it) overflows the stack.
    if (error instanceof RangeError) return /call stack/i.test(error.message) ? TOO_DEEP : { refused: `cannot be written as JSON text (${error.message})` };
    throw error;
  }
  return MAYBE_ALTERED.test(text) && hasAlteredNumber(value) ? ALTERED_INSIDE : text;
}

/** Walks the value without recursion: it may be nested nearly as deep as JSON.stringify can go. */
function hasAlteredNumber(root: object): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'number' && !(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) return true;
    if (typeof value === 'object' && value !== null) for (const child of Object.values(value)) pending.push(child);
  }
  return false;
}

// Digits on both sides of a decimal point: "5." and ".5" are left to fail rather than be guessed at.
const DECIMAL = /^[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A whole number written as text, optionally with a zero fraction such as "3.0".
const WHOLE = /^[+-]?\d+(?:\.0+)?$/;

function toInteger(value: unknown): string | Refusal | undefined {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return String(value);
    return Math.abs(value) > Number.MAX_SAFE_INTEGER ? alteredNumber(value) : undefined;
  }
  // Whole-number text beyond 2^53 would be rounded by Number(): refused as Marketo refuses an integer too large.
  const number = typeof value === 'string' && WHOLE.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(number) ? String(number) : undefined;
}

/** A float or currency field stores a double: a large number is written as the double JSON.parse read, which it is. */
function toDecimal(value: unknown): string | Refusal | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : alteredNumber(value);
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

const CONVERTERS: Record<Exclude<MarketoType, 'datetime'>, CellConverter> = {
  string: defaultCell,
  integer: toInteger,
  number: toDecimal,
  boolean: toBoolean,
  date: ifString(toIsoDate),
};

/** What the values themselves do not say. */
export interface CellOptions {
  /** IANA zone of datetimes written without an offset (naive_datetime_time_zone). */
  naiveTimeZone: string;
}

export const DEFAULT_CELL_OPTIONS: CellOptions = { naiveTimeZone: 'UTC' };

export function converterFor(type: MarketoType | undefined, options = DEFAULT_CELL_OPTIONS): CellConverter {
  // Epoch numbers are rejected, not guessed at: seconds and milliseconds look alike.
  if (type === 'datetime') return ifString((text) => toIsoDateTime(text, options.naiveTimeZone));
  return type === undefined ? defaultCell : CONVERTERS[type];
}
