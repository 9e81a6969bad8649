import { z } from 'zod';
import { ConfigSchema } from './schema.js';

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
    // Both are upserts in Marketo; overwrite cannot be honoured (the Bulk Import API cannot delete).
    supported_destination_sync_modes: ['append', 'append_dedup'],
  };
}
