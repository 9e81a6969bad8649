import type { Catalog, FieldSpec } from '../seed/catalog.js';
import type { Slots } from '../store/record-table.js';
import type { Stores } from '../store/stores.js';
import { checkCell } from '../seed/cells.js';

/** A row either fails, is imported with a warning, or is fine (undefined). */
export type Verdict = { fail: string } | { warn: string } | undefined;

/** The per-row behaviour of one import job, fixed when the job is created. */
export interface RowRules {
  /** Checks that need nothing but the row itself; done when the job starts importing. */
  check(cells: readonly string[]): Verdict;
  /** Writes a checked row into the store; returns a failure reason if the store refuses it. */
  apply(cells: readonly string[], stamp: string): string | undefined;
}

/** What to do with an empty cell for an existing record. Undocumented for Marketo, so configurable. */
export type EmptyCells = 'clear' | 'keep';

export const lookupValueMissing = (field: string): string => `Value for lookup field '${field}' not found`;

/** Maps header names to targets; the first name that maps to nothing is Marketo's 1006. */
export function resolveHeader<T>(
  header: readonly string[],
  lookup: (name: string) => T | undefined,
): { columns: T[] } | { unknown: string } {
  const columns: T[] = [];
  for (const name of header) {
    const target = lookup(name);
    if (target === undefined) return { unknown: name };
    columns.push(target);
  }
  return { columns };
}

/** Type checks every cell; a bad value fails the row, a bad email only warns. */
export function checkCells(cells: readonly string[], columns: readonly FieldSpec[]): Verdict {
  let warning: Verdict;
  const n = Math.min(cells.length, columns.length);
  for (let i = 0; i < n; i++) {
    const field = columns[i]!;
    const result = checkCell(field.kind, cells[i]!);
    if (result === 'invalid') return { fail: `Invalid data type in field ${field.displayName}` };
    if (result === 'warn' && !warning) warning = { warn: 'Invalid email address' };
  }
  return warning;
}

/** Copies the updateable columns of a row into a record; cells missing from a short row are left alone. */
export function assignCells(slots: Slots, cells: readonly string[], columns: readonly (FieldSpec | undefined)[], emptyCells: EmptyCells): void {
  const n = Math.min(cells.length, columns.length);
  for (let i = 0; i < n; i++) {
    const field = columns[i];
    const cell = cells[i]!;
    if (!field?.updateable || (cell === '' && emptyCells === 'keep')) continue;
    slots[field.position] = cell === '' ? null : cell;
  }
}

/** An import refused at submit time, as a Marketo error code and message. */
export interface Rejection {
  code: string;
  message: string;
}

export const fieldNotFound = (name: string): Rejection => ({ code: '1006', message: `Field '${name}' not found` });

/** What an importer needs from the emulator. */
export interface ImportDeps {
  catalog: Catalog;
  stores: Stores;
  emptyCells: EmptyCells;
}
