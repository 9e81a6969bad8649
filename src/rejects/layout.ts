import { randomUUID } from 'node:crypto';
import { createLineStringifier } from '../encoding/csv-line.js';
import type { RejectStream, RejectedRow } from './rejected-row.js';

// The record layout of Airbyte's S3 destination: four `_airbyte_*` columns, then the record, either as one JSON value
// (`_airbyte_data`, "No flattening") or field by field ("Root level flattening"). The reason of each rejection goes
// in `_airbyte_meta.rejection`, beside the `sync_id` and `changes` that Airbyte's own `_airbyte_meta` carries.

export type FormatType = 'CSV' | 'JSONL';
export type Flattening = 'No flattening' | 'Root level flattening';

export interface LayoutOptions {
  formatType: FormatType;
  flattening: Flattening;
  syncId: number | undefined;
}

const META_COLUMNS = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta'] as const;

/** Turns rejected rows of one stream into lines of one file; `header` starts each file (empty for JSONL). */
export interface RowLayout {
  readonly header: string;
  line(row: RejectedRow): string;
}

function metaOf(row: RejectedRow, syncId: number | undefined): Record<string, unknown> {
  const rejection: Record<string, unknown> = { reason: row.reason, rejected_by: row.rejectedBy };
  if (row.field !== undefined) rejection.field = row.field;
  if (row.batchId !== undefined) rejection.batch_id = row.batchId;
  // As Airbyte's protocol names a value a destination could not keep.
  const changes = (row.nulled ?? []).map((field) => ({ field, change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' }));
  return { sync_id: syncId ?? null, changes, rejection };
}

const cellOf = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

export function rowLayout(stream: RejectStream, options: LayoutOptions): RowLayout {
  const { flattening, syncId } = options;
  const flat = flattening === 'Root level flattening';
  const airbyteColumns = (row: RejectedRow): [string, number, number, Record<string, unknown>] => [
    randomUUID(),
    row.emittedAt,
    stream.generationId,
    metaOf(row, syncId),
  ];
  if (options.formatType === 'JSONL') {
    return {
      header: '',
      line(row) {
        const [rawId, extractedAt, generationId, meta] = airbyteColumns(row);
        const head = { _airbyte_raw_id: rawId, _airbyte_extracted_at: extractedAt, _airbyte_generation_id: generationId, _airbyte_meta: meta };
        // Flattened, a record field named like one of ours cannot replace it.
        return `${JSON.stringify(flat ? { ...row.record, ...head } : { ...head, _airbyte_data: row.record })}\n`;
      },
    };
  }
  const stringify = createLineStringifier('csv');
  // CSV needs one header per file: flattened, the columns are the stream's schema fields.
  const fields = flat ? stream.fields.filter((field) => !(META_COLUMNS as readonly string[]).includes(field)) : [];
  return {
    header: stringify(flat ? [...META_COLUMNS, ...fields] : [...META_COLUMNS, '_airbyte_data']),
    line(row) {
      const cells = airbyteColumns(row).map(cellOf);
      if (!flat) return stringify([...cells, JSON.stringify(row.record)]);
      return stringify([...cells, ...fields.map((field) => cellOf(Object.hasOwn(row.record, field) ? row.record[field] : undefined))]);
    },
  };
}
