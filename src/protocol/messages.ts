/**
 * zod schemas for the Airbyte messages a destination reads and writes, after
 * airbyte_protocol.yaml (v0, release 0.18.0). Every object is loose: the protocol asks that
 * unknown properties be tolerated and passed on, so parsing keeps them. They are stricter than the
 * YAML where it cannot say what it means: each message type carries its own payload and no other
 * (a TRACE ERROR its `error`, a STREAM state its `stream`, ...). The writer's output is typed with
 * them, and the end-to-end tests validate every stdout line with them.
 */
import { z } from 'zod';

const JsonObject = z.record(z.string(), z.unknown());

export const LogLevel = z.enum(['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']);
export type LogLevel = z.infer<typeof LogLevel>;

export const DestinationSyncMode = z.enum(['append', 'overwrite', 'append_dedup', 'update', 'soft_delete']);
export type DestinationSyncMode = z.infer<typeof DestinationSyncMode>;

export const SyncMode = z.enum(['full_refresh', 'incremental']);
export type SyncMode = z.infer<typeof SyncMode>;

const FailureType = z.enum(['system_error', 'config_error', 'transient_error']);

export const StreamDescriptor = z.looseObject({ name: z.string(), namespace: z.string().optional() });
export type StreamDescriptor = z.infer<typeof StreamDescriptor>;

// ---- RECORD ----------------------------------------------------------------------------------

export const AirbyteRecordMessage = z.looseObject({
  stream: z.string(),
  namespace: z.string().optional(),
  data: JsonObject,
  emitted_at: z.number(),
  meta: z
    .looseObject({
      changes: z.array(z.looseObject({ field: z.string(), change: z.string(), reason: z.string() })).optional(),
    })
    .optional(),
});
export type AirbyteRecordMessage = z.infer<typeof AirbyteRecordMessage>;

// ---- STATE -----------------------------------------------------------------------------------

const AirbyteStateStats = z.looseObject({
  recordCount: z.number().optional(),
  rejectedRecordCount: z.number().optional(),
});

const AirbyteStreamState = z.looseObject({
  stream_descriptor: StreamDescriptor,
  stream_state: JsonObject.optional(),
});

const stateFields = {
  sourceStats: AirbyteStateStats.optional(),
  destinationStats: AirbyteStateStats.optional(),
};

/** Each state type with its payload; "If not set, assume the state object is type LEGACY." */
export const AirbyteStateMessage = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('STREAM'), stream: AirbyteStreamState, ...stateFields }),
  z.looseObject({
    type: z.literal('GLOBAL'),
    global: z.looseObject({ shared_state: JsonObject.optional(), stream_states: z.array(AirbyteStreamState) }),
    ...stateFields,
  }),
  z.looseObject({ type: z.literal('LEGACY').optional(), data: JsonObject, ...stateFields }),
]);
export type AirbyteStateMessage = z.infer<typeof AirbyteStateMessage>;

// ---- LOG, TRACE, CONNECTION_STATUS -----------------------------------------------------------

export const AirbyteLogMessage = z.looseObject({
  level: LogLevel,
  message: z.string(),
  stack_trace: z.string().optional(),
});
export type AirbyteLogMessage = z.infer<typeof AirbyteLogMessage>;

export const AirbyteErrorTraceMessage = z.looseObject({
  message: z.string(),
  internal_message: z.string().optional(),
  stack_trace: z.string().optional(),
  failure_type: FailureType.optional(),
  stream_descriptor: StreamDescriptor.optional(),
});

export const AirbyteStreamStatusTraceMessage = z.looseObject({
  stream_descriptor: StreamDescriptor,
  status: z.enum(['STARTED', 'RUNNING', 'COMPLETE', 'INCOMPLETE']),
  reasons: z
    .array(
      z.looseObject({
        type: z.literal('RATE_LIMITED'),
        rate_limited: z.looseObject({ quota_reset: z.number().optional() }).optional(),
      }),
    )
    .optional(),
});

const traceFields = { emitted_at: z.number() };

/** Each trace type with its payload. */
export const AirbyteTraceMessage = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('ERROR'), error: AirbyteErrorTraceMessage, ...traceFields }),
  z.looseObject({ type: z.literal('ESTIMATE'), estimate: JsonObject, ...traceFields }),
  z.looseObject({ type: z.literal('STREAM_STATUS'), stream_status: AirbyteStreamStatusTraceMessage, ...traceFields }),
  z.looseObject({ type: z.literal('ANALYTICS'), analytics: JsonObject, ...traceFields }),
]);
export type AirbyteTraceMessage = z.infer<typeof AirbyteTraceMessage>;

export const AirbyteConnectionStatus = z.looseObject({
  status: z.enum(['SUCCEEDED', 'FAILED']),
  message: z.string().optional(),
});
export type AirbyteConnectionStatus = z.infer<typeof AirbyteConnectionStatus>;

// ---- SPEC, DESTINATION_CATALOG ---------------------------------------------------------------

export const ConnectorSpecification = z.looseObject({
  connectionSpecification: JsonObject,
  documentationUrl: z.url().optional(),
  changelogUrl: z.url().optional(),
  supportsIncremental: z.boolean().optional(),
  supportsNormalization: z.boolean().optional(),
  supportsDBT: z.boolean().optional(),
  supported_destination_sync_modes: z.array(DestinationSyncMode).optional(),
  protocol_version: z.string().optional(),
});
export type ConnectorSpecification = z.infer<typeof ConnectorSpecification>;

const FieldPaths = z.array(z.array(z.string()));

export const DestinationOperation = z.looseObject({
  object_name: z.string(),
  sync_mode: DestinationSyncMode,
  json_schema: JsonObject,
  matching_keys: FieldPaths.optional(),
});
export type DestinationOperation = z.infer<typeof DestinationOperation>;

export const DestinationCatalog = z.looseObject({ operations: z.array(DestinationOperation) });
export type DestinationCatalog = z.infer<typeof DestinationCatalog>;

// ---- ConfiguredAirbyteCatalog (the --catalog file) -------------------------------------------

// The generation/sync ids are documented as nullable ("If this is null, ... the platform is not
// supporting the refresh"), and serialisers write namespace: null, so null is accepted too.
const optionalInt = z.number().int().nullish();

export const ConfiguredAirbyteStream = z.looseObject({
  stream: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().nullish(),
    json_schema: JsonObject,
  }),
  sync_mode: SyncMode,
  destination_sync_mode: DestinationSyncMode,
  cursor_field: z.array(z.string()).nullish(),
  primary_key: FieldPaths.nullish(),
  generation_id: optionalInt,
  minimum_generation_id: optionalInt,
  sync_id: optionalInt,
  destination_object_name: z.string().nullish(),
});
export type ConfiguredAirbyteStream = z.infer<typeof ConfiguredAirbyteStream>;

/** A stream (name and namespace) listed twice would be written twice with two mappings: which one holds is a guess. */
export const ConfiguredAirbyteCatalog = z.looseObject({ streams: z.array(ConfiguredAirbyteStream) }).superRefine((catalog, ctx) => {
  const seen = new Set<string>();
  catalog.streams.forEach(({ stream }, index) => {
    const key = streamKey(stream.name, stream.namespace);
    if (seen.has(key)) {
      const label = stream.namespace ? `${stream.namespace}.${stream.name}` : stream.name;
      ctx.addIssue({ code: 'custom', path: ['streams', index], message: `the stream "${label}" is listed more than once` });
    }
    seen.add(key);
  });
});
export type ConfiguredAirbyteCatalog = z.infer<typeof ConfiguredAirbyteCatalog>;

// ---- The envelope ----------------------------------------------------------------------------

const PAYLOADS = {
  RECORD: ['record', AirbyteRecordMessage],
  STATE: ['state', AirbyteStateMessage],
  LOG: ['log', AirbyteLogMessage],
  TRACE: ['trace', AirbyteTraceMessage],
  CONNECTION_STATUS: ['connectionStatus', AirbyteConnectionStatus],
  SPEC: ['spec', ConnectorSpecification],
  DESTINATION_CATALOG: ['destination_catalog', DestinationCatalog],
} as const;

// The payload fields of the message types a source sends, which a destination's message never carries either.
const OTHER_PAYLOAD_FIELDS = ['catalog', 'control'] as const;

/** A message of one type: its payload is required, every other type's payload absent. */
function envelope<T extends keyof typeof PAYLOADS>(type: T) {
  const [field, schema] = PAYLOADS[type];
  const absent = Object.fromEntries(
    [...Object.values(PAYLOADS).map(([other]) => other), ...OTHER_PAYLOAD_FIELDS]
      .filter((other) => other !== field)
      .map((other) => [other, z.never().optional()]),
  );
  return z.looseObject({ ...absent, type: z.literal(type), [field]: schema } as {
    type: z.ZodLiteral<T>;
  } & { [K in (typeof PAYLOADS)[T][0]]: (typeof PAYLOADS)[T][1] });
}

/** The messages this CDK reads or writes (CATALOG and CONTROL are a source's business). */
export const AirbyteMessage = z.discriminatedUnion('type', [
  envelope('RECORD'),
  envelope('STATE'),
  envelope('LOG'),
  envelope('TRACE'),
  envelope('CONNECTION_STATUS'),
  envelope('SPEC'),
  envelope('DESTINATION_CATALOG'),
]);
export type AirbyteMessage = z.infer<typeof AirbyteMessage>;
export type AirbyteStateEnvelope = Extract<AirbyteMessage, { type: 'STATE' }>;

/**
 * A stable, collision-free map key for a stream. The namespace is length-prefixed so that no
 * (namespace, name) pair can collide with another; a missing or empty namespace is one case,
 * since catalogs and records disagree on which of the two they write.
 */
export function streamKey(name: string, namespace?: string | null): string {
  const ns = namespace ?? '';
  return `${ns.length}:${ns}${name}`;
}
