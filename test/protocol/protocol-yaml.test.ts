// Conformance of the project's zod protocol schemas (src/protocol/messages.ts) with the official
// airbyte_protocol.yaml, found through MARKETO_BULK_REFERENCE_DIR; skipped where the reference folder is missing.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import * as messages from '../../src/protocol/messages.js';
import { samples } from '../helpers/protocol-samples.js';
import { hasReference, referencePath } from '../helpers/reference.js';

type Json = Record<string, unknown>;

describe.skipIf(!hasReference)('the zod protocol schemas against airbyte_protocol.yaml', () => {
  const definitions = hasReference
    ? (parseYaml(readFileSync(referencePath('reference/airbyte_protocol.yaml'), 'utf8')) as { definitions: Record<string, Json> }).definitions
    : {};
  // The YAML uses the non-standard keyword `existingJavaType` (hence strict: false) and `format: uri`.
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  const yamlAccepts = hasReference ? ajv.compile({ $ref: '#/definitions/AirbyteMessage', definitions }) : () => false;
  const zodAccepts = (message: unknown) => messages.AirbyteMessage.safeParse(message).success;

  it.each(Object.entries(samples))('both accept the %s sample', (_, sample) => {
    expect(yamlAccepts(sample)).toBe(true);
    expect(zodAccepts(sample)).toBe(true);
  });

  it.each([
    ['an unknown failure_type', { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'm', failure_type: 'bogus' } } }],
    ['an unknown type', { type: 'HELLO' }],
    ['a bad documentationUrl', { type: 'SPEC', spec: { connectionSpecification: {}, documentationUrl: 'not a url' } }],
    ['a log without a message', { type: 'LOG', log: { level: 'INFO' } }],
    ['a record without emitted_at', { type: 'RECORD', record: { stream: 's', data: {} } }],
    ['a state type the protocol lacks', { type: 'STATE', state: { type: 'PER_STREAM', stream: { stream_descriptor: { name: 's' } } } }],
    ['a stream status without a descriptor', { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { status: 'RUNNING' } } }],
  ])('both reject %s', (_, message) => {
    expect(yamlAccepts(message)).toBe(false);
    expect(zodAccepts(message)).toBe(false);
  });

  // What the YAML cannot express, the zod schema adds: each type carries its own payload and no other.
  it.each([
    ['a TRACE without trace', { type: 'TRACE' }],
    ['a TRACE ERROR without error', { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1 } }],
    ['a LOG carrying a record too', { type: 'LOG', log: { level: 'INFO', message: 'm' }, record: { stream: 's', data: {}, emitted_at: 1 } }],
    ['a STREAM state without stream', { type: 'STATE', state: { type: 'STREAM' } }],
    ['a GLOBAL state without global', { type: 'STATE', state: { type: 'GLOBAL', data: {} } }],
    ['a state without a type or data (LEGACY)', { type: 'STATE', state: {} }],
  ])('the YAML accepts, and zod rejects, %s', (_, message) => {
    expect(yamlAccepts(message)).toBe(true);
    expect(zodAccepts(message)).toBe(false);
  });

  /** The YAML definition a property points to, or the property itself. */
  const resolve = (property: Json): Json => {
    const ref = typeof property.$ref === 'string' ? property.$ref : undefined;
    return ref ? definitions[ref.replace('#/definitions/', '')]! : property;
  };

  const pairs: Array<[string, z.ZodType]> = [
    ['AirbyteMessage', messages.AirbyteMessage],
    ['AirbyteRecordMessage', messages.AirbyteRecordMessage],
    ['AirbyteStateMessage', messages.AirbyteStateMessage],
    ['AirbyteLogMessage', messages.AirbyteLogMessage],
    ['AirbyteTraceMessage', messages.AirbyteTraceMessage],
    ['AirbyteErrorTraceMessage', messages.AirbyteErrorTraceMessage],
    ['AirbyteStreamStatusTraceMessage', messages.AirbyteStreamStatusTraceMessage],
    ['AirbyteConnectionStatus', messages.AirbyteConnectionStatus],
    ['ConnectorSpecification', messages.ConnectorSpecification],
    ['DestinationCatalog', messages.DestinationCatalog],
    ['DestinationOperation', messages.DestinationOperation],
    ['ConfiguredAirbyteCatalog', messages.ConfiguredAirbyteCatalog],
    ['ConfiguredAirbyteStream', messages.ConfiguredAirbyteStream],
    ['StreamDescriptor', messages.StreamDescriptor],
  ];

  it.each(pairs)('%s: only the YAML’s properties, its required ones required, its enums', (name, schema) => {
    const yaml = definitions[name]!;
    const yamlProperties = (yaml.properties ?? {}) as Record<string, Json>;
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
    const variants = ((json.oneOf ?? json.anyOf ?? [json]) as Json[]).map((variant) => ({
      properties: (variant.properties ?? {}) as Record<string, Json>,
      required: (variant.required ?? []) as string[],
    }));
    expect(variants.every((variant) => Object.keys(variant.properties).length > 0)).toBe(true);
    const constants = new Map<string, unknown[]>();
    for (const { properties, required } of variants) {
      expect(Object.keys(properties).filter((p) => !(p in yamlProperties)), 'properties the YAML does not define').toEqual([]);
      expect(((yaml.required ?? []) as string[]).filter((p) => !required.includes(p)), 'required by the YAML only').toEqual([]);
      for (const [property, zodProperty] of Object.entries(properties)) {
        const yamlEnum = resolve(yamlProperties[property] ?? {}).enum as unknown[] | undefined;
        if (Array.isArray(zodProperty.enum)) expect(new Set(zodProperty.enum), `${name}.${property}`).toEqual(new Set(yamlEnum));
        if ('const' in zodProperty) constants.set(property, [...(constants.get(property) ?? []), zodProperty.const]);
      }
    }
    // A discriminator's values are some of the YAML's (a destination neither reads nor writes CATALOG or CONTROL).
    for (const [property, values] of constants) {
      const yamlEnum = resolve(yamlProperties[property]!).enum as unknown[];
      expect(values.filter((value) => !yamlEnum.includes(value)), `${name}.${property}`).toEqual([]);
    }
  });
});
