import { ColumnPlanError, planColumns, type Column } from '../encoding/columns.js';
import type { Config, StreamMappingConfig } from '../config/schema.js';
import { SUPPORTED_SYNC_MODES } from '../config/spec.js';
import { targetKey, type ImportTarget } from '../marketo/bulk-import.js';
import { configError } from '../protocol/errors.js';
import { streamKey, type ConfiguredAirbyteCatalog, type ConfiguredAirbyteStream } from '../protocol/messages.js';
import type { StreamTarget } from '../pipeline/stream-target.js';
import { CUSTOM_OBJECT_PREFIX, LEADS, PROGRAM_ID_COLUMN, PROGRAM_MEMBERS, STATUS_COLUMN } from './activation.js';

/** A catalog stream matched with its mapping, before the describe calls have checked it against Marketo. */
export interface StreamPlan extends StreamTarget {
  /** The key the platform's mapping chose (data activation), checked against the object's dedupe fields. */
  declaredKey?: string[];
}

const UPSERT_MODES: ReadonlySet<string> = new Set(SUPPORTED_SYNC_MODES);

export function describeStream(plan: { name: string; namespace?: string }): string {
  return plan.namespace ? `${plan.namespace}.${plan.name}` : plan.name;
}

function findMapping(config: Config, stream: ConfiguredAirbyteStream['stream']): StreamMappingConfig | undefined {
  const namespace = stream.namespace ?? undefined;
  // A mapping with a namespace matches only that namespace; one without matches the stream in any namespace.
  return (
    config.stream_mappings.find((m) => m.stream === stream.name && m.namespace !== undefined && m.namespace === namespace) ??
    config.stream_mappings.find((m) => m.stream === stream.name && m.namespace === undefined)
  );
}

export function targetOf(object: StreamMappingConfig['object']): ImportTarget {
  switch (object.type) {
    case 'leads':
      return { kind: 'leads', lookupField: object.lookup_field, partitionName: object.partition_name, listId: object.list_id };
    case 'custom_object':
      return { kind: 'custom_object', apiName: object.api_name };
    case 'program_members':
      return { kind: 'program_members', programId: String(object.program_id), status: object.program_member_status };
  }
}

function columnsOf(label: string, jsonSchema: unknown, fieldMappings?: StreamMappingConfig['field_mappings']): Column[] {
  let columns: Column[];
  try {
    columns = planColumns(jsonSchema, fieldMappings);
  } catch (error) {
    if (error instanceof ColumnPlanError) throw configError(`Stream "${label}": ${error.message}`);
    throw error;
  }
  if (columns.length === 0) {
    throw configError(`Stream "${label}" has no fields in its json_schema, so there is nothing to import.`);
  }
  return columns;
}

/**
 * Matches every catalog stream with its Marketo object: the platform's `destination_object_name` (data activation)
 * wins, else the config's stream_mappings. Any stream that cannot be written is a config_error.
 */
export function planStreams(config: Config, catalog: ConfiguredAirbyteCatalog): StreamPlan[] {
  return catalog.streams.map((configured) => {
    const { stream } = configured;
    const label = describeStream({ name: stream.name, namespace: stream.namespace ?? undefined });
    if (configured.destination_object_name) return planActivation(configured, label);
    if (!UPSERT_MODES.has(configured.destination_sync_mode)) {
      throw configError(
        `Stream "${label}" uses destination sync mode "${configured.destination_sync_mode}", which Marketo cannot honour: bulk import only creates or updates records (an upsert) and cannot delete the ones a sync did not send. Use ${SUPPORTED_SYNC_MODES.map((m) => `"${m}"`).join(' or ')}.`,
      );
    }
    const mapping = findMapping(config, stream);
    if (!mapping) {
      throw configError(
        `Stream "${label}" is not mapped to a Marketo object. Add an entry to stream_mappings, e.g. {"stream": "${stream.name}", "object": {"type": "leads", "lookup_field": "email"}}, or remove the stream from the connection.`,
      );
    }
    const columns = columnsOf(label, stream.json_schema, mapping.field_mappings);
    const target = targetOf(mapping.object);
    return {
      key: streamKey(stream.name, stream.namespace),
      name: stream.name,
      namespace: stream.namespace ?? undefined,
      target,
      targetKey: targetKey(target),
      columns,
    };
  });
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/** A stream the platform mapped (data activation): object, mode and key come from the configured catalog. */
function planActivation(configured: ConfiguredAirbyteStream, label: string): StreamPlan {
  const { stream, destination_sync_mode: mode } = configured;
  const object = configured.destination_object_name!;
  // The platform writes the chosen matching key either as paths of one field each ([["email"],["programId"]]) or as
  // the matching key itself ([["email","programId"]]); Marketo fields are top-level, so both flatten to field names.
  const key = (configured.primary_key ?? []).flat();
  const base = { key: streamKey(stream.name, stream.namespace), name: stream.name, namespace: stream.namespace ?? undefined };
  const columns = columnsOf(label, stream.json_schema);
  const fail = (problem: string): never => {
    throw configError(`Stream "${label}" (destination object "${object}"): ${problem}`);
  };
  const needMode = (...modes: string[]): void => {
    if (!modes.includes(mode)) fail(`sync mode "${mode}" is not supported; use ${modes.map((m) => `"${m}"`).join(' or ')}`);
  };
  if (object === LEADS) {
    needMode('append_dedup', 'update');
    if (mode === 'update' && !sameSet(key, ['id'])) fail(`update matches leads on [["id"]], not ${JSON.stringify(configured.primary_key ?? [])}`);
    if (key.length !== 1) fail(`choose exactly one matching key field for leads, not ${JSON.stringify(configured.primary_key ?? [])}`);
    const target: ImportTarget = { kind: 'leads', lookupField: key[0]! };
    return { ...base, target, targetKey: targetKey(target), columns };
  }
  if (object.startsWith(CUSTOM_OBJECT_PREFIX) && object.length > CUSTOM_OBJECT_PREFIX.length) {
    needMode('append_dedup');
    const target: ImportTarget = { kind: 'custom_object', apiName: object.slice(CUSTOM_OBJECT_PREFIX.length) };
    return { ...base, target, targetKey: targetKey(target), columns, declaredKey: key };
  }
  if (object === PROGRAM_MEMBERS) {
    needMode('append_dedup');
    if (!sameSet(key, ['email', PROGRAM_ID_COLUMN])) fail(`program members match on [["email","${PROGRAM_ID_COLUMN}"]], not ${JSON.stringify(configured.primary_key ?? [])}`);
    const names = columns.map((c) => c.name);
    const missing = [PROGRAM_ID_COLUMN, STATUS_COLUMN].filter((c) => !names.includes(c));
    if (missing.length) fail(`the mapping must include ${missing.map((m) => `"${m}"`).join(' and ')}`);
    const target: ImportTarget = { kind: 'program_members', programId: '', status: '' };
    return {
      ...base,
      target,
      targetKey: targetKey(target),
      columns: columns.filter((c) => c.name !== PROGRAM_ID_COLUMN && c.name !== STATUS_COLUMN),
      grouped: true,
    };
  }
  return fail(`unknown object; discover lists "${LEADS}", "${PROGRAM_MEMBERS}" and "${CUSTOM_OBJECT_PREFIX}<apiName>"`);
}
