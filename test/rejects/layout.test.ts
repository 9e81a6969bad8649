import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { rowLayout } from '../../src/rejects/layout.js';
import { fieldOf, recordFromCells, type RejectedRow } from '../../src/rejects/rejected-row.js';

const stream = { name: 'contacts', generationId: 3, fields: ['email', 'score', 'tags'] };
const row: RejectedRow = {
  record: { email: 'a@example.com', score: 'x,1', tags: ['a', 'b'], extra: true },
  emittedAt: 1_700_000_000_123,
  reason: 'Invalid data type in field leadScore',
  field: 'leadScore',
  rejectedBy: 'connector',
};
const marketoRow: RejectedRow = { record: { email: 'b@example.com' }, emittedAt: 1, reason: 'Invalid email address', rejectedBy: 'marketo', batchId: 42 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('rowLayout', () => {
  test('CSV, no flattening: the four _airbyte_ columns, then the record as JSON in _airbyte_data', () => {
    const layout = rowLayout(stream, { formatType: 'CSV', flattening: 'No flattening', syncId: 77 });
    const [header, cells] = parse(layout.header + layout.line(row)) as string[][];
    expect(header).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta', '_airbyte_data']);
    expect(cells![0]).toMatch(UUID);
    expect(cells!.slice(1, 3)).toEqual(['1700000000123', '3']);
    expect(JSON.parse(cells![3]!)).toEqual({ sync_id: 77, changes: [], rejection: { reason: row.reason, rejected_by: 'connector', field: 'leadScore' } });
    expect(JSON.parse(cells![4]!)).toEqual(row.record);
  });

  test('CSV, root level flattening: one column per schema field, objects as JSON', () => {
    const layout = rowLayout(stream, { formatType: 'CSV', flattening: 'Root level flattening', syncId: undefined });
    const [header, cells] = parse(layout.header + layout.line(row)) as string[][];
    expect(header).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta', 'email', 'score', 'tags']);
    expect(cells!.slice(4)).toEqual(['a@example.com', 'x,1', '["a","b"]']);
    expect(JSON.parse(cells![3]!).sync_id).toBeNull();
  });

  test('JSONL: no header; _airbyte_data, or the record’s fields at the top level', () => {
    const nested = rowLayout(stream, { formatType: 'JSONL', flattening: 'No flattening', syncId: 5 });
    expect(nested.header).toBe('');
    const line = nested.line(marketoRow);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual({
      _airbyte_raw_id: expect.stringMatching(UUID),
      _airbyte_extracted_at: 1,
      _airbyte_generation_id: 3,
      _airbyte_meta: { sync_id: 5, changes: [], rejection: { reason: 'Invalid email address', rejected_by: 'marketo', batch_id: 42 } },
      _airbyte_data: { email: 'b@example.com' },
    });
    const flat = JSON.parse(rowLayout(stream, { formatType: 'JSONL', flattening: 'Root level flattening', syncId: 5 }).line({ ...row, record: { ...row.record, _airbyte_meta: 'spoof' } }));
    expect(flat).toMatchObject({ email: 'a@example.com', tags: ['a', 'b'], extra: true, _airbyte_generation_id: 3 });
    expect(flat._airbyte_meta.rejection.reason).toBe(row.reason);
  });

  test.each(['CSV', 'JSONL'] as const)('%s: fields the record could not keep are null and named in _airbyte_meta.changes', (formatType) => {
    const nulledRow: RejectedRow = { ...row, record: { email: 'deep@example.com', note: null }, nulled: ['note'] };
    for (const flattening of ['No flattening', 'Root level flattening'] as const) {
      const layout = rowLayout({ ...stream, fields: ['email', 'note'] }, { formatType, flattening, syncId: 5 });
      const line = layout.line(nulledRow);
      const parsed = formatType === 'JSONL' ? (JSON.parse(line) as Record<string, unknown>) : (parse(layout.header + line, { columns: true }) as Record<string, string>[])[0]!;
      const meta = typeof parsed._airbyte_meta === 'string' ? JSON.parse(parsed._airbyte_meta) : parsed._airbyte_meta;
      expect(meta.changes, flattening).toEqual([{ field: 'note', change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' }]);
    }
  });

  test('each row gets its own raw id', () => {
    const layout = rowLayout(stream, { formatType: 'JSONL', flattening: 'No flattening', syncId: 5 });
    expect(JSON.parse(layout.line(row))._airbyte_raw_id).not.toBe(JSON.parse(layout.line(row))._airbyte_raw_id);
  });
});

describe('rejected rows', () => {
  test('the field a reason names', () => {
    expect(fieldOf('Invalid data type in field leadScore')).toBe('leadScore');
    expect(fieldOf("Value for field 'programId' not found")).toBe('programId');
    expect(fieldOf('Field "big" holds an integer beyond 2^53, read as 12345678901234567000 (input line 3)')).toBe('big');
    expect(fieldOf('the row alone is larger than batching.max_file_bytes')).toBeUndefined();
  });

  test('a record rebuilt from sent cells: record field names, typed by the Marketo field type, empty cells left out', () => {
    const columns = [{ source: 'email' }, { source: 'first_name', type: 'string' }, { source: 'score', type: 'integer' }, { source: 'rate', type: 'number' }, { source: 'vip', type: 'boolean' }, { source: 'zip', type: 'string' }];
    expect(recordFromCells(columns, ['a@example.com', '', '12', '1.5', 'true', '00123'])).toEqual({ email: 'a@example.com', score: 12, rate: 1.5, vip: true, zip: '00123' });
    expect(recordFromCells(columns, ['b', 'x', 'n/a', '', 'maybe', ''])).toEqual({ email: 'b', first_name: 'x', score: 'n/a', vip: 'maybe' });
  });
});
