import { describe, expect, it } from 'vitest';
import { planColumns, type Column } from '../../src/encoding/columns.js';
import { RowEncoder } from '../../src/encoding/row-encoder.js';

const columns = (...names: string[]): Column[] => names.map((name) => ({ name, source: name }));

describe('RowEncoder.encode', () => {
  it('writes cells in column order with the default rules, taking values from the source field', () => {
    const encoder = new RowEncoder([
      { name: 'email', source: 'mail' },
      ...columns('age', 'vip', 'tags', 'address', 'gone', 'nothing'),
    ]);
    const result = encoder.encode({
      nothing: null,
      address: { city: 'Taipei' },
      tags: ['a', 'b'],
      vip: false,
      age: 41,
      mail: 'a@example.com',
    });
    expect(result).toEqual({
      ok: true,
      cells: ['a@example.com', '41', 'false', '["a","b"]', '{"city":"Taipei"}', '', ''],
    });
  });

  it('converts typed columns and writes null or missing values as empty cells for every type', () => {
    const encoder = new RowEncoder([
      { name: 'score', source: 'score', type: 'integer' },
      { name: 'opted', source: 'opted', type: 'boolean' },
      { name: 'born', source: 'born', type: 'date' },
      { name: 'seen', source: 'seen', type: 'datetime' },
      { name: 'revenue', source: 'revenue', type: 'number' },
    ]);
    expect(encoder.encode({ score: '7', opted: 'TRUE', born: '1990-06-01T08:00:00Z', seen: '2024-01-01T00:00:00Z', revenue: 1.5 })).toEqual({
      ok: true,
      cells: ['7', 'true', '1990-06-01', '2024-01-01T00:00:00+00:00', '1.5'],
    });
    expect(encoder.encode({ score: null, opted: null, born: null })).toEqual({ ok: true, cells: ['', '', '', '', ''] });
  });

  it("rejects a value its column's type cannot take with Marketo's reason, naming the Marketo field", () => {
    const encoder = new RowEncoder([
      { name: 'email', source: 'email' },
      { name: 'leadScore', source: 'score', type: 'integer' },
    ]);
    expect(encoder.encode({ email: 'x@example.com', score: 4.5 })).toEqual({
      ok: false,
      reason: 'Invalid data type in field leadScore',
    });
  });

  it('does not read Object.prototype for fields the record lacks', () => {
    const encoder = new RowEncoder(columns('constructor', 'toString', '__proto__'));
    expect(encoder.encode({})).toEqual({ ok: true, cells: ['', '', ''] });
    const parsed = JSON.parse('{"constructor":"c","toString":"t","__proto__":"p"}') as Record<string, unknown>;
    expect(encoder.encode(parsed)).toEqual({ ok: true, cells: ['c', 't', 'p'] });
  });
});

describe('RowEncoder.newUnknownFields', () => {
  it('reports each field outside the schema once, in record order', () => {
    const encoder = new RowEncoder(planColumns({ properties: { id: {}, first: {} } }, [{ from: 'first', to: 'firstName' }]));
    expect(encoder.newUnknownFields({ id: 1, first: 'a', extra: 1, other: 2 })).toEqual(['extra', 'other']);
    expect(encoder.newUnknownFields({ id: 2, extra: 1, more: 3 })).toEqual(['more']);
    expect(encoder.newUnknownFields({ other: 1, more: 1, extra: 1 })).toEqual([]);
  });

  it('knows fields by their record name, not their Marketo name', () => {
    const encoder = new RowEncoder([{ name: 'firstName', source: 'first' }]);
    expect(encoder.newUnknownFields({ first: 'a', firstName: 'b' })).toEqual(['firstName']);
  });

  it('does not report Airbyte bookkeeping fields', () => {
    const encoder = new RowEncoder(planColumns({ properties: { id: {}, _airbyte_raw_id: {} } }));
    expect(encoder.newUnknownFields({ id: 1, _airbyte_raw_id: 'x', _airbyte_meta: {} })).toEqual([]);
  });

  it('keeps what it has seen per encoder', () => {
    const schema = { properties: { id: {} } };
    const first = new RowEncoder(planColumns(schema));
    const second = new RowEncoder(planColumns(schema));
    expect(first.newUnknownFields({ extra: 1 })).toEqual(['extra']);
    expect(second.newUnknownFields({ extra: 1 })).toEqual(['extra']);
  });
});
