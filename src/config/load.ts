import { z } from 'zod';
import { configError } from '../protocol/errors.js';
import { ConfigSchema, type Config } from './schema.js';

/** Validates a raw config object; a problem is a config_error naming each path. */
export function parseConfig(raw: unknown): Config {
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw configError(`Invalid configuration:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

export function baseUrlOf(config: Config): string {
  const url = config.base_url ?? `https://${config.munchkin_id}.mktorest.com`;
  return url.replace(/\/+$/, '');
}
