import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ColumnPlanError, marketoTypeOf, planColumns } from '../../src/encoding/columns.js';
import { repoRoot } from '../helpers/cli.js';
import { hasReference, meltanoDir } from '../helpers/reference.js';

const edgeCases = path.join(repoRoot, 'test/fixtures/edge-cases');

function fixtureSchemas(name: string, dir = meltanoDir): Record<string, unknown> {
  const catalog = JSON.parse(readFileSync(path.join(dir, `${name}.catalog.json`), 'utf8')) as {
    streams: { stream: { name: string; json_schema: unknown } }[];
  };
  return Object.fromEntries(catalog.streams.map(({ stream }) => [stream.name, stream.json_schema]));
}

describe('planColumns', () => {
  it('lists schema properties in schema order', () => {
    const schema = fixtureSchemas('nested', edgeCases)['nested'];
    expect(planColumns(schema).map((c) => c.name)).toEqual(['id', 'tags', 'address', 'matrix', 'empty_object', 'empty_array']);
  });

  it('keeps odd field names of the own odd-names fixture verbatim', () => {
    const schema = fixtureSchemas('odd-names', edgeCases)['odd:Stream!name?x'];
    expect(planColumns(schema).map((c) => c.name)).toEqual([
      '_id',
      'agent:os:version',
      'Field With Spaces',
      'camelCaseField',
      'ünïcödé',
      'a.b',
      'comma,name',
      '"quoted"',
    ]);
  });

  it.skipIf(!hasReference)('lists the properties of the Meltano camelcase stream in schema order', () => {
    const schema = fixtureSchemas('camelcase')['TestCamelcase'];
    expect(planColumns(schema)).toEqual([
      { name: 'Id', source: 'Id' },
      { name: 'clientName', source: 'clientName' },
    ]);
  });

  it('renames mapped fields in place and keeps the others', () => {
    const schema = { properties: { id: {}, mail: {}, first: {} } };
    const columns = planColumns(schema, [
      { from: 'first', to: 'firstName' },
      { from: 'mail', to: 'email' },
    ]);
    expect(columns).toEqual([
      { name: 'id', source: 'id' },
      { name: 'email', source: 'mail' },
      { name: 'firstName', source: 'first' },
    ]);
  });

  it('leaves out _airbyte_* fields but keeps other leading-underscore fields', () => {
    const schema = { properties: { _airbyte_raw_id: {}, _airbyte_extracted_at: {}, _id: {}, email: {} } };
    expect(planColumns(schema).map((c) => c.name)).toEqual(['_id', 'email']);
  });

  it.skipIf(!hasReference)('keeps odd field names from the Meltano special-characters fixture verbatim', () => {
    const schema = fixtureSchemas('special_chars_in_attributes')['test:SpecialChars!in?attributes'];
    const names = planColumns(schema).map((c) => c.name);
    expect(names).toContain('_id');
    expect(names).toEqual(Object.keys((schema as { properties: object }).properties));
  });

  it('gives no columns for a schema without properties, or no schema object at all', () => {
    expect(planColumns({ type: 'object' })).toEqual([]);
    expect(planColumns(null)).toEqual([]);
    expect(planColumns({ properties: ['a'] })).toEqual([]);
  });

  it('rejects a mapping from a field the schema lacks', () => {
    expect(() => planColumns({ properties: { a: {} } }, [{ from: 'b', to: 'c' }])).toThrow(ColumnPlanError);
    // An inherited name is not a field either.
    expect(() => planColumns({ properties: { a: {} } }, [{ from: 'toString', to: 'c' }])).toThrow(/no field "toString"/);
  });

  it('rejects a field mapped twice', () => {
    const mappings = [
      { from: 'a', to: 'x' },
      { from: 'a', to: 'y' },
    ];
    expect(() => planColumns({ properties: { a: {} } }, mappings)).toThrow(/mapped more than once/);
  });

  it('rejects a rename that collides with another column', () => {
    expect(() => planColumns({ properties: { a: {}, b: {} } }, [{ from: 'a', to: 'b' }])).toThrow(
      new ColumnPlanError('two columns would both be named "b"'),
    );
  });

  it('allows swapping two names', () => {
    const columns = planColumns({ properties: { a: {}, b: {} } }, [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'a' },
    ]);
    expect(columns).toEqual([
      { name: 'b', source: 'a' },
      { name: 'a', source: 'b' },
    ]);
  });
});

describe('marketoTypeOf', () => {
  it.each([
    ['integer', 'integer'],
    ['float', 'number'],
    ['currency', 'number'],
    ['boolean', 'boolean'],
    ['date', 'date'],
    ['datetime', 'datetime'],
    ['email', 'string'],
    ['phone', 'string'],
    ['url', 'string'],
    ['text', 'string'],
    ['string', 'string'],
    ['DateTime', 'datetime'],
  ])('maps describe dataType %s to %s', (dataType, type) => {
    expect(marketoTypeOf(dataType)).toBe(type);
  });

  it('leaves unknown types, and names inherited from Object.prototype, unconverted', () => {
    expect(marketoTypeOf('reference')).toBeUndefined();
    expect(marketoTypeOf('constructor')).toBeUndefined();
  });
});
