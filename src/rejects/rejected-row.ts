/** Who turned a row down: Marketo (a row of failures.json) or the connector before sending it. */
export type RejectedBy = 'marketo' | 'connector';

/** Why a row was rejected; written to `_airbyte_meta.rejection`. */
export interface Rejection {
  /** Marketo's "Import Failure Reason", or the connector's own reason. */
  reason: string;
  rejectedBy: RejectedBy;
  /** The field at fault, when known: a Marketo field name. */
  field?: string;
  /** The Marketo import job whose failures.json lists the row. */
  batchId?: number;
}

/** One rejected record, as the connector received it. */
export interface RejectedRow extends Rejection {
  /** The record's `data`. */
  record: Record<string, unknown>;
  /** The record's `emitted_at`, epoch ms. */
  emittedAt: number;
  /** Fields of the record that could not be kept (nested too deeply), written as null. */
  nulled?: string[];
}

/** The stream of a rejected row, as the files of rejects name and lay it out. */
export interface RejectStream {
  name: string;
  namespace?: string;
  generationId: number;
  /** Record fields of the stream's schema, in schema order: the columns of root-level flattened CSV. */
  fields: string[];
}

// Marketo's and our own reasons name the field as `field X`, `field 'X'` or `Field "X"`.
const FIELD_IN_REASON = /\b[Ff]ield ['"]?([A-Za-z0-9_.-]+)['"]?/;

/** The field a reason names, if it names one. */
export function fieldOf(reason: string): string | undefined {
  return FIELD_IN_REASON.exec(reason)?.[1];
}

/** A column of the row sent: the record field it came from and, when known, the Marketo type it was converted to. */
export interface SentColumn {
  source: string;
  type?: string;
}

/** A cell as the value it was converted from: numbers and booleans of typed fields as such, the rest as sent. */
function valueOf(cell: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') {
    const number = Number(cell);
    return Number.isFinite(number) ? number : cell;
  }
  if (type === 'boolean' && (cell === 'true' || cell === 'false')) return cell === 'true';
  return cell;
}

/**
 * A record rebuilt from the row that was sent (Marketo-failed rows, and rows of a group rejected after encoding):
 * each cell under its record field name, typed by its Marketo field type; empty cells (null or missing values) are
 * left out.
 */
export function recordFromCells(columns: readonly SentColumn[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  columns.forEach(({ source, type }, i) => {
    const cell = cells[i];
    if (cell !== undefined && cell !== '') record[source] = valueOf(cell, type);
  });
  return record;
}
