import { z } from 'zod';
import { configError } from '../protocol/errors.js';
import { ConfigSchema, type Config } from './schema.js';
import { unknownConfigKeys } from './unknown-keys.js';

/** One sentence naming every key the schema does not know, or undefined when there is none. */
export function unknownKeysWarning(raw: unknown): string | undefined {
  const keys = unknownConfigKeys(raw);
  if (keys.length === 0) return undefined;
  return `Unknown config ${keys.length === 1 ? 'key' : 'keys'}, ignored: ${keys.join(', ')}. A typo? The README's configuration table lists every key.`;
}

/**
 * Validates a raw config object; a problem is a config_error naming each path. Unknown keys are not an error
 * (platforms may add keys), but `warn` hears of them first, so that a typo is seen even when the config is invalid.
 */
export function parseConfig(raw: unknown, warn?: (message: string) => void): Config {
  const unknown = warn && unknownKeysWarning(raw);
  if (unknown) warn(unknown);
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
