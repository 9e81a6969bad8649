import { converterFor, DEFAULT_CELL_OPTIONS, type CellConverter } from './cell-values.js';
import { isAirbyteField, type Column } from './columns.js';

const NONE: readonly string[] = [];

export type EncodeResult = { ok: true; cells: string[] } | { ok: false; reason: string };

interface PlannedCell {
  source: string;
  // Sources such as "constructor" would otherwise read Object.prototype when the record lacks them.
  ownOnly: boolean;
  convert: CellConverter;
  rejection: string;
}

/** Encodes records of one stream as rows of cells, in column order. */
export class RowEncoder {
  readonly #cells: PlannedCell[];
  /** Schema fields plus the unknown fields already reported. */
  readonly #seen: Set<string>;

  /** `known`: record fields that are read elsewhere, so are not reported as unknown. */
  constructor(columns: Column[], known: readonly string[] = [], options = DEFAULT_CELL_OPTIONS) {
    this.#cells = columns.map((column) => ({
      source: column.source,
      ownOnly: column.source in Object.prototype,
      convert: converterFor(column.type, options),
      // Marketo's own wording for a value its field type rejects.
      rejection: `Invalid data type in field ${column.name}`,
    }));
    this.#seen = new Set([...columns.map((column) => column.source), ...known]);
  }

  encode(data: Record<string, unknown>): EncodeResult {
    const cells: string[] = [];
    for (const cell of this.#cells) {
      const value = cell.ownOnly && !Object.hasOwn(data, cell.source) ? undefined : data[cell.source];
      if (value === null || value === undefined) {
        cells.push('');
        continue;
      }
      const text = cell.convert(value);
      if (typeof text !== 'string') return { ok: false, reason: text === undefined ? cell.rejection : `Field "${cell.source}" ${text.refused}` };
      cells.push(text);
    }
    return { ok: true, cells };
  }

  /** Field names of `data` not in the schema and not seen before by this encoder (so the caller warns once each). */
  newUnknownFields(data: Record<string, unknown>): readonly string[] {
    // Called for every record: no array unless there is something to report.
    let unknown: string[] | undefined;
    for (const field in data) {
      if (this.#seen.has(field) || isAirbyteField(field)) continue;
      this.#seen.add(field);
      (unknown ??= []).push(field);
    }
    return unknown ?? NONE;
  }
}
