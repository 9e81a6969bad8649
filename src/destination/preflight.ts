import { marketoTypeOf, type Column } from '../batching/columns.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import type { DescribeApi, FieldInfo, ObjectSchema } from '../marketo/describe.js';

/** What the describe calls can prove about one mapping before any job runs. */
export interface MappingCheck {
  label: string;
  target: ImportTarget;
  /** Present in write (the stream's header); absent in check, which has no catalog. */
  columns?: Column[];
  /** The key the platform's mapping chose (data activation); must be the custom object's dedupe key. */
  declaredKey?: string[];
  /** Program members whose program and status come from each row; those are checked per group as they appear. */
  grouped?: boolean;
  /** Every record is a deletion: the columns need only the deletion key, which the caller checks. */
  deletionOnly?: boolean;
}

export interface MappingVerdict {
  problems: string[];
  /** Fields whose values identify a row (lookup field, dedupe fields, email). */
  keyFields: string[];
  /** The columns with the Marketo type of each field, for value conversion. */
  columns?: Column[];
}

// Lead fields the Bulk Import API accepts as lookupField besides custom string/email/integer fields (Swagger).
const STANDARD_LOOKUP_FIELDS = new Set([
  'id', 'cookies', 'email', 'twitterId', 'facebookId', 'linkedInId',
  'sfdcAccountId', 'sfdcContactId', 'sfdcLeadId', 'sfdcLeadOwnerId', 'sfdcOpptyId',
]);
const CUSTOM_LOOKUP_TYPES = new Set(['string', 'email', 'integer']);

export function canBeLookupField(field: FieldInfo, schema: ObjectSchema): boolean {
  if (STANDARD_LOOKUP_FIELDS.has(field.name)) return true;
  const searchable = schema.keys.some((key) => key.length === 1 && key[0] === field.name);
  return searchable && CUSTOM_LOOKUP_TYPES.has(field.dataType.toLowerCase());
}

/** Runs the describe calls a set of mappings needs, each at most once, and judges every mapping. */
export class MappingValidator {
  private leads?: Promise<ObjectSchema>;
  private members?: Promise<FieldInfo[]>;
  private readonly customObjects = new Map<string, Promise<ObjectSchema | undefined>>();
  private readonly programs = new Map<string, Promise<{ name: string; statuses?: string[] } | undefined>>();

  constructor(private readonly describe: DescribeApi) {}

  async check(mapping: MappingCheck): Promise<MappingVerdict> {
    const { target } = mapping;
    switch (target.kind) {
      case 'leads': {
        const schema = await (this.leads ??= this.describe.leads());
        const problems: string[] = [];
        const lookup = schema.fields.find((f) => f.name === target.lookupField);
        if (!lookup) problems.push(`lookup_field "${target.lookupField}" is not a lead field`);
        else if (!canBeLookupField(lookup, schema)) {
          problems.push(`lookup_field "${target.lookupField}" (${lookup.dataType}) cannot be a lookup field; use email, id, a SFDC id or a searchable custom string, email or integer field`);
        }
        return this.verdict(mapping, schema.fields, [target.lookupField], problems);
      }
      case 'custom_object': {
        let pending = this.customObjects.get(target.apiName);
        if (!pending) this.customObjects.set(target.apiName, (pending = this.describe.customObject(target.apiName)));
        const schema = await pending;
        if (!schema) return { problems: [`custom object "${target.apiName}" does not exist in this Marketo instance`], keyFields: [] };
        const dedupe = schema.keys[0] ?? [];
        const problems: string[] = [];
        const declared = mapping.declaredKey;
        if (declared && !(declared.length === dedupe.length && declared.every((k) => dedupe.includes(k)))) {
          problems.push(`matching key ${JSON.stringify(declared)} is not the dedupe key of custom object "${target.apiName}" (${JSON.stringify(dedupe)})`);
        }
        return this.verdict(mapping, schema.fields, dedupe, problems);
      }
      case 'program_members': {
        const problems = mapping.grouped ? [] : await this.programProblems(target.programId, mapping.deletionOnly ? undefined : target.status);
        if (problems.length > 0 || !mapping.columns) return { problems, keyFields: ['email'] };
        const [members, leads] = await Promise.all([
          (this.members ??= this.describe.programMemberFields()),
          (this.leads ??= this.describe.leads()),
        ]);
        return this.verdict(mapping, [...members, ...leads.fields], ['email'], problems);
      }
    }
  }

  /** Whether `programId` exists and `status` is one of its statuses, when the API tells; [] when all is well. */
  async programProblems(programId: string, status: string | undefined): Promise<string[]> {
    let pending = this.programs.get(programId);
    if (!pending) this.programs.set(programId, (pending = this.describe.program(programId)));
    const program = await pending;
    if (!program) return [`program ${programId} does not exist in this Marketo instance`];
    if (status !== undefined && program.statuses && !program.statuses.includes(status)) {
      return [`program_member_status "${status}" is not a status of program ${programId} ("${program.name}"); its statuses are: ${program.statuses.join(', ')}`];
    }
    return [];
  }

  private verdict(mapping: MappingCheck, fields: FieldInfo[], keyFields: string[], problems: string[]): MappingVerdict {
    if (!mapping.columns) return { problems, keyFields };
    const byName = new Map(fields.map((f) => [f.name, f]));
    const unknown = mapping.columns.filter((c) => !byName.has(c.name)).map((c) => c.name);
    if (unknown.length > 0) {
      problems.push(`column(s) ${unknown.map((n) => `"${n}"`).join(', ')} are not fields of ${objectName(mapping.target)}; rename them with field_mappings or drop them from the stream`);
    }
    const names = new Set(mapping.columns.map((c) => c.name));
    const missingKeys = mapping.deletionOnly ? [] : keyFields.filter((k) => !names.has(k));
    if (missingKeys.length > 0) {
      problems.push(`key field(s) ${missingKeys.map((n) => `"${n}"`).join(', ')} are not among the stream's columns, so Marketo would fail every row`);
    }
    const columns = mapping.columns.map((c) => {
      const field = byName.get(c.name);
      const type = field ? marketoTypeOf(field.dataType) : undefined;
      return type ? { ...c, type } : c;
    });
    return { problems, keyFields, columns };
  }
}

export function objectName(target: ImportTarget): string {
  switch (target.kind) {
    case 'leads':
      return 'the lead object';
    case 'custom_object':
      return `custom object "${target.apiName}"`;
    case 'program_members':
      return 'program members';
  }
}
