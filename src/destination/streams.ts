import { ColumnPlanError, planColumns, type Column } from '../batching/columns.js';
import type { Config, StreamMappingConfig } from '../config/schema.js';
import { targetKey, type ImportTarget } from '../marketo/bulk-import.js';
import { configError } from '../protocol/errors.js';
import { streamKey, type ConfiguredAirbyteCatalog, type ConfiguredAirbyteStream } from '../protocol/messages.js';

/** A catalog stream matched with its mapping, before the describe calls have checked it against Marketo. */
export interface StreamPlan {
  key: string;
  name: string;
  namespace?: string;
  target: ImportTarget;
  targetKey: string;
  columns: Column[];
  /** Fields whose values identify a row in Marketo (lookup field, dedupe fields, or email for program members). */
  keyFields: string[];
}

const UPSERT_MODES = new Set(['append', 'append_dedup']);

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

/** Key fields known from the mapping alone; custom objects learn theirs (dedupe fields) from describe. */
export function keyFieldsOf(target: ImportTarget): string[] {
  if (target.kind === 'leads') return [target.lookupField];
  if (target.kind === 'program_members') return ['email'];
  return [];
}

/** Matches every catalog stream with its mapping; any stream that cannot be written is a config_error. */
export function planStreams(config: Config, catalog: ConfiguredAirbyteCatalog): StreamPlan[] {
  return catalog.streams.map((configured) => {
    const { stream } = configured;
    const label = describeStream({ name: stream.name, namespace: stream.namespace ?? undefined });
    if (!UPSERT_MODES.has(configured.destination_sync_mode)) {
      throw configError(
        `Stream "${label}" uses destination sync mode "${configured.destination_sync_mode}", which Marketo cannot honour: bulk import only creates or updates records (an upsert) and cannot delete the ones a sync did not send. Use "append" or "append_dedup".`,
      );
    }
    const mapping = findMapping(config, stream);
    if (!mapping) {
      throw configError(
        `Stream "${label}" is not mapped to a Marketo object. Add an entry to stream_mappings, e.g. {"stream": "${stream.name}", "object": {"type": "leads", "lookup_field": "email"}}, or remove the stream from the connection.`,
      );
    }
    let columns: Column[];
    try {
      columns = planColumns(stream.json_schema, mapping.field_mappings);
    } catch (error) {
      if (error instanceof ColumnPlanError) throw configError(`Stream "${label}": ${error.message}`);
      throw error;
    }
    if (columns.length === 0) {
      throw configError(`Stream "${label}" has no fields in its json_schema, so there is nothing to import.`);
    }
    const target = targetOf(mapping.object);
    return {
      key: streamKey(stream.name, stream.namespace),
      name: stream.name,
      namespace: stream.namespace ?? undefined,
      target,
      targetKey: targetKey(target),
      columns,
      keyFields: keyFieldsOf(target),
    };
  });
}
