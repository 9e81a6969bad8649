/** The Marketo field types that need a conversion; every other type is written with the default rules. */
export type MarketoType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';

export interface Column {
  /** Header of the column: the Marketo field name. */
  name: string;
  /** Record field the value comes from. */
  source: string;
  /** Marketo type of the field, when known; values are then converted to it. */
  type?: MarketoType;
}

export interface FieldMapping {
  from: string;
  to: string;
}

/** A stream's columns cannot be planned: the configuration contradicts its schema. */
export class ColumnPlanError extends Error {
  override readonly name = 'ColumnPlanError';
}

const AIRBYTE_FIELD_PREFIX = '_airbyte_';

/** Airbyte's own bookkeeping fields are never sent to Marketo. */
export const isAirbyteField = (field: string): boolean => field.startsWith(AIRBYTE_FIELD_PREFIX);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The stream's CSV columns: its `json_schema` properties in schema order, renamed by `fieldMappings`,
 * without `_airbyte_*` fields. Columns carry no type; set `type` from Marketo's describe call.
 * Throws ColumnPlanError when a mapping names a field the schema lacks, or two columns share a name.
 */
export function planColumns(jsonSchema: unknown, fieldMappings: FieldMapping[] = []): Column[] {
  const properties = isRecord(jsonSchema) && isRecord(jsonSchema.properties) ? jsonSchema.properties : {};
  const renames = new Map<string, string>();
  for (const { from, to } of fieldMappings) {
    if (!Object.hasOwn(properties, from)) {
      throw new ColumnPlanError(`field_mappings: the stream's schema has no field "${from}"`);
    }
    if (renames.has(from)) throw new ColumnPlanError(`field_mappings: "${from}" is mapped more than once`);
    renames.set(from, to);
  }
  const columns: Column[] = [];
  const names = new Set<string>();
  for (const source of Object.keys(properties)) {
    if (isAirbyteField(source)) continue;
    const name = renames.get(source) ?? source;
    if (names.has(name)) throw new ColumnPlanError(`two columns would both be named "${name}"`);
    names.add(name);
    columns.push({ name, source });
  }
  return columns;
}

const TYPES_BY_DATA_TYPE: Readonly<Record<string, MarketoType>> = {
  integer: 'integer',
  number: 'number',
  float: 'number',
  currency: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  string: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  text: 'string',
};

/** The conversion for a `dataType` from Marketo's describe call; undefined for types we do not convert. */
export function marketoTypeOf(dataType: string): MarketoType | undefined {
  const key = dataType.toLowerCase();
  return Object.hasOwn(TYPES_BY_DATA_TYPE, key) ? TYPES_BY_DATA_TYPE[key] : undefined;
}
