import { connectionSpecification } from './spec.js';

type Schema = {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  pattern?: string;
  airbyte_secret?: boolean;
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  const?: unknown;
  required?: string[];
};

export const REFERENCE_BEGIN = '<!-- BEGIN CONFIG REFERENCE (npm run spec) -->';
export const REFERENCE_END = '<!-- END CONFIG REFERENCE -->';

function limits(s: Schema): string {
  const parts: string[] = [];
  if (s.enum) parts.push(s.enum.map((v) => `\`${String(v)}\``).join(', '));
  if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) parts.push(`≤ ${s.maximum}`);
  if (s.pattern) parts.push(`pattern \`${s.pattern}\``);
  if (s.airbyte_secret) parts.push('secret');
  return parts.join('; ');
}

/** The property whose `const` tells the variants of a oneOf apart (`type`, `storage_type`, ...). */
function discriminatorOf(variants: Schema[]): string {
  const first = Object.keys(variants[0]?.properties ?? {});
  return first.find((name) => variants.every((v) => v.properties?.[name]?.const !== undefined)) ?? 'type';
}

function typeOf(s: Schema): string {
  if (s.oneOf) {
    const tag = discriminatorOf(s.oneOf);
    return `one of ${s.oneOf.map((v) => `\`${tag}: ${String(v.properties?.[tag]?.const)}\``).join(', ')}`;
  }
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}`;
  return s.type ?? 'object';
}

function rows(schema: Schema, prefix: string, out: string[]): void {
  for (const [name, s] of Object.entries(schema.properties ?? {})) {
    const key = `${prefix}${name}`;
    const required = schema.required?.includes(name) ? 'yes' : '';
    const def = s.default === undefined || (typeof s.default === 'object' && s.default !== null) ? '' : `\`${JSON.stringify(s.default)}\``;
    const text = (s.description ?? s.title ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    out.push(`| \`${key}\` | ${typeOf(s)} | ${required} | ${def} | ${limits(s)} | ${text} |`);
    if (s.type === 'object' && s.properties) rows(s, `${key}.`, out);
    if (s.type === 'array' && s.items?.properties) rows(s.items, `${key}[].`, out);
    if (s.oneOf) {
      const tag = discriminatorOf(s.oneOf);
      for (const variant of s.oneOf) {
        const value = String(variant.properties?.[tag]?.const);
        rows({ ...variant, properties: Object.fromEntries(Object.entries(variant.properties ?? {}).filter(([k]) => k !== tag)) }, `${key}{${tag}=${value}}.`, out);
      }
    }
  }
}

/** The README's configuration table, generated from the zod schema so that it cannot drift from the code. */
export function configReference(): string {
  const out = ['| key | type | required | default | limits | description |', '|---|---|---|---|---|---|'];
  rows(connectionSpecification() as Schema, '', out);
  return `${REFERENCE_BEGIN}\n${out.join('\n')}\n${REFERENCE_END}`;
}

/** Replaces the generated block of `readme` with the current reference. */
export function withReference(readme: string): string {
  const start = readme.indexOf(REFERENCE_BEGIN);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < 0) throw new Error('README.md lacks the config reference markers');
  return readme.slice(0, start) + configReference() + readme.slice(end + REFERENCE_END.length);
}
