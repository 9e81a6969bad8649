import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** Sync modes outside data activation; both are upserts in Marketo, overwrite cannot be honoured (bulk import cannot delete). */
export const SUPPORTED_SYNC_MODES = ['append', 'append_dedup'] as const;

export const DOCUMENTATION_URL = 'https://github.com/destination-marketo-bulk/destination-marketo-bulk#readme';

/** The connection specification, generated from the zod schema (never written by hand). */
export function connectionSpecification(): Record<string, unknown> {
  // io: 'input' so that fields with defaults are not listed as required.
  const schema = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return schema;
}

export function buildSpec(): Record<string, unknown> {
  return {
    documentationUrl: DOCUMENTATION_URL,
    connectionSpecification: connectionSpecification(),
    supportsIncremental: true,
    supportsNormalization: false,
    supportsDBT: false,
    supported_destination_sync_modes: [...SUPPORTED_SYNC_MODES],
  };
}
