/** How a cell of a given Marketo data type is checked and stored. */
export type CellKind = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'email' | 'text';

export type StoredValue = string | number | boolean | null;

export function cellKind(dataType: string): CellKind {
  switch (dataType.toLowerCase()) {
    case 'integer':
    case 'score':
      return 'integer';
    case 'float':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'email':
      return 'email';
    default:
      return 'text';
  }
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN = /^(?:true|false|1|0)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
// Deliberately loose: Marketo warns on obviously malformed addresses, not on RFC corner cases.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isCalendarDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** 'invalid' fails the row, 'warn' imports it with a warning. Empty cells are always 'ok'. */
export function checkCell(kind: CellKind, raw: string): 'ok' | 'invalid' | 'warn' {
  if (raw === '') return 'ok';
  switch (kind) {
    case 'integer':
      return INTEGER.test(raw) ? 'ok' : 'invalid';
    case 'number':
      return NUMBER.test(raw) ? 'ok' : 'invalid';
    case 'boolean':
      return BOOLEAN.test(raw) ? 'ok' : 'invalid';
    case 'date': {
      const m = DATE.exec(raw);
      return m && isCalendarDate(m[1]!, m[2]!, m[3]!) ? 'ok' : 'invalid';
    }
    case 'datetime': {
      const m = DATETIME.exec(raw);
      return m && isCalendarDate(m[1]!, m[2]!, m[3]!) && Number(m[4]) < 24 && Number(m[5]) < 60 ? 'ok' : 'invalid';
    }
    case 'email':
      return EMAIL.test(raw) ? 'ok' : 'warn';
    case 'text':
      return 'ok';
  }
}

/** The value kept in the store for a cell that passed `checkCell` (empty cells become null). */
export function storedValue(kind: CellKind, raw: string): StoredValue {
  if (raw === '') return null;
  switch (kind) {
    case 'integer':
    case 'number':
      return Number(raw);
    case 'boolean':
      return raw === '1' || raw.toLowerCase() === 'true';
    default:
      return raw;
  }
}

/** Normalises a key value so that lookups match the way Marketo matches them (emails ignore case). */
export function keyOf(kind: CellKind, raw: string): string {
  if (kind === 'email') return raw.toLowerCase();
  if (kind === 'integer') return String(Number(raw));
  return raw;
}
