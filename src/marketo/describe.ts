import { z } from 'zod';
import type { MarketoClient } from './client.js';
import { MarketoError } from './errors.js';

/** A field of a Marketo object, as the describe endpoints report it. */
export interface FieldInfo {
  name: string;
  dataType: string;
  updateable: boolean;
}

export interface ObjectSchema {
  fields: FieldInfo[];
  /** Alternative keys (each possibly composite) the object can be matched on. */
  keys: string[][];
}

const Field = z.looseObject({
  name: z.string(),
  dataType: z.string().default('string'),
  updateable: z.boolean().default(true),
});

const LeadDescribe = z.looseObject({
  result: z.array(z.looseObject({ fields: z.array(Field), searchableFields: z.array(z.array(z.string())).default([]) })).min(1),
});

const CustomObjectDescribe = z.looseObject({
  result: z
    .array(
      z.looseObject({
        name: z.string(),
        dedupeFields: z.array(z.string()).default([]),
        fields: z.array(Field),
      }),
    )
    .default([]),
});

const CustomObjectList = z.looseObject({
  result: z
    .array(
      z.looseObject({
        name: z.string(),
        dedupeFields: z.array(z.string()).default([]),
        fields: z.array(Field).optional(),
      }),
    )
    .default([]),
});

const ProgramResponse = z.looseObject({
  result: z.array(z.looseObject({ id: z.number(), name: z.string(), channel: z.string().optional() })).default([]),
});

const ChannelResponse = z.looseObject({
  result: z
    .array(
      z.looseObject({
        name: z.string(),
        progressionStatuses: z.array(z.looseObject({ name: z.string(), step: z.number().optional() })).default([]),
      }),
    )
    .default([]),
});

export interface ProgramInfo {
  name: string;
  /** The channel's statuses that an import can set; absent when the API does not tell. */
  statuses?: string[];
  /** The channel's statuses that exist but cannot be imported (step 0, "Not in Program"). */
  notImportable?: string[];
}

const NOT_FOUND = new Set(['610', '702', '1013']);

const toFields = (fields: z.infer<typeof Field>[]): FieldInfo[] =>
  fields.map(({ name, dataType, updateable }) => ({ name, dataType, updateable }));

/** The describe calls check, write and discover use to validate mappings before any job runs. */
export class DescribeApi {
  constructor(private readonly client: MarketoClient) {}

  async leads(): Promise<ObjectSchema> {
    const response = await this.client.call({ method: 'GET', path: '/rest/v1/leads/describe2.json', schema: LeadDescribe });
    const lead = response.result[0]!;
    return { fields: toFields(lead.fields), keys: lead.searchableFields };
  }

  /** undefined when the custom object does not exist. */
  async customObject(apiName: string): Promise<ObjectSchema | undefined> {
    const response = await this.optional(() =>
      this.client.call({
        method: 'GET',
        path: `/rest/v1/customobjects/${encodeURIComponent(apiName)}/describe.json`,
        schema: CustomObjectDescribe,
      }),
    );
    const object = response?.result[0];
    if (!object) return undefined;
    return { fields: toFields(object.fields), keys: object.dedupeFields.length ? [object.dedupeFields] : [] };
  }

  /** Every custom object with its schema: one call when the list carries the fields, else one describe each. */
  async customObjects(): Promise<Map<string, ObjectSchema>> {
    const response = await this.client.call({ method: 'GET', path: '/rest/v1/customobjects.json', schema: CustomObjectList });
    const out = new Map<string, ObjectSchema>();
    for (const object of response.result) {
      const schema = object.fields
        ? { fields: toFields(object.fields), keys: object.dedupeFields.length ? [object.dedupeFields] : [] }
        : await this.customObject(object.name);
      if (schema) out.set(object.name, schema);
    }
    return out;
  }

  async programMemberFields(): Promise<FieldInfo[]> {
    const response = await this.client.call({
      method: 'GET',
      path: '/rest/v1/programs/members/describe.json',
      schema: LeadDescribe,
    });
    return toFields(response.result[0]!.fields);
  }

  /** The program and, when the API tells, its channel's statuses; undefined when there is no such program. */
  async program(programId: string): Promise<ProgramInfo | undefined> {
    const response = await this.optional(() =>
      this.client.call({
        method: 'GET',
        path: `/rest/asset/v1/program/${encodeURIComponent(programId)}.json`,
        schema: ProgramResponse,
      }),
    );
    const program = response?.result[0];
    if (!program) return undefined;
    if (!program.channel) return { name: program.name };
    const channel = await this.optional(() =>
      this.client.call({
        method: 'GET',
        path: '/rest/asset/v1/channel/byName.json',
        query: { name: program.channel },
        schema: ChannelResponse,
      }),
    );
    const statuses = channel?.result[0]?.progressionStatuses ?? [];
    if (statuses.length === 0) return { name: program.name };
    // Step 0 ("Not in Program") is where leads that are not members stand: an import cannot put members there.
    const importable = (s: { step?: number }): boolean => s.step === undefined || s.step > 0;
    return {
      name: program.name,
      statuses: statuses.filter(importable).map((s) => s.name),
      notImportable: statuses.filter((s) => !importable(s)).map((s) => s.name),
    };
  }

  /** Marketo says "not found" as 610 or 1013 (REST) or 702 (asset API). */
  private async optional<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof MarketoError && (NOT_FOUND.has(error.code ?? '') || error.httpStatus === 404)) {
        return undefined;
      }
      throw error;
    }
  }
}
