/**
 * Config keys the schema does not know, found by walking the zod schema itself alongside the raw config. They are
 * not an error, because platforms may add keys; but a typo such as `batching.max_jobs_in_fligth` would otherwise be
 * silently ignored, and its setting with it.
 */
import { z } from 'zod';
import { ConfigSchema } from './schema.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The schema under optional/default/prefault/nullable wrappers. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while ('innerType' in current._zod.def) current = (current._zod.def as { innerType: z.core.$ZodType }).innerType;
  return current;
}

function collect(schema: z.core.$ZodType, value: unknown, path: string, found: string[]): void {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodDiscriminatedUnion && isObject(value)) {
    // Only the option the value's discriminator chose knows its keys; a value choosing none is a config error anyway.
    const key = inner._zod.def.discriminator;
    const option = inner.options.find(
      (candidate) => candidate instanceof z.ZodObject && z.safeParse(candidate.shape[key], value[key]).success,
    );
    if (option) collect(option, value, path, found);
  } else if (inner instanceof z.ZodObject && isObject(value)) {
    const shape = inner.shape as Record<string, z.core.$ZodType>;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (Object.hasOwn(shape, key)) collect(shape[key]!, child, childPath, found);
      else found.push(childPath);
    }
  } else if (inner instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((item, index) => collect(inner.element, item, `${path}[${index}]`, found));
  }
}

/** Paths of the keys in `raw` that the config schema does not define, e.g. `stream_mappings[0].object.lookupField`. */
export function unknownConfigKeys(raw: unknown): string[] {
  const found: string[] = [];
  collect(ConfigSchema, raw, '', found);
  return found;
}
