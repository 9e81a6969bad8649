import { marketoTypeOf, type Column } from '../encoding/columns.js';
import type { ImportTarget } from '../marketo/bulk-import.js';
import { closestNames } from './closest-names.js';
import type { DescribeApi, FieldInfo, ObjectSchema, ProgramInfo } from '../marketo/describe.js';

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
}

export interface MappingVerdict {
  problems: string[];
  /** Columns renamed to the exact case of their Marketo field, e.g. `"Email" → "email"`. */
  renamed?: string[];
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
  private readonly programs = new Map<string, Promise<ProgramInfo | undefined>>();

  constructor(private readonly describe: DescribeApi) {}

  async check(mapping: MappingCheck): Promise<MappingVerdict> {
    const { target } = mapping;
    switch (target.kind) {
      case 'leads': {
        const schema = await (this.leads ??= this.describe.leads());
        const problems: string[] = [];
        const lookup = schema.fields.find((f) => f.name === target.lookupField);
        if (!lookup) problems.push(`lookup_field "${target.lookupField}" is not a lead field${didYouMean(target.lookupField, schema.fields)}`);
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
        const problems = mapping.grouped ? [] : await this.programProblems(target.programId, target.status);
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
  async programProblems(programId: string, status: string): Promise<string[]> {
    let pending = this.programs.get(programId);
    if (!pending) this.programs.set(programId, (pending = this.describe.program(programId)));
    const program = await pending;
    if (!program) return [`program ${programId} does not exist in this Marketo instance`];
    if (program.statuses && !program.statuses.includes(status)) {
      const where = `program ${programId} ("${program.name}")`;
      const what = program.notImportable?.includes(status)
        ? `cannot be imported into ${where}: it is where leads that are not members stand (step 0)`
        : `is not a status of ${where}`;
      return [`program_member_status "${status}" ${what}; statuses an import can set: ${program.statuses.join(', ')}`];
    }
    return [];
  }

  private verdict(mapping: MappingCheck, fields: FieldInfo[], keyFields: string[], problems: string[]): MappingVerdict {
    if (!mapping.columns) return { problems, keyFields };
    const byName = new Map(fields.map((f) => [f.name, f]));
    const byLowerCaseName = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
    const renamed: string[] = [];
    const unknown: string[] = [];
    const columns = mapping.columns.map((c) => {
      // Marketo matched `FirstName` to firstName in a DOCS example, but says nothing of it: send the exact name.
      const field = byName.get(c.name) ?? byLowerCaseName.get(c.name.toLowerCase());
      if (!field) {
        unknown.push(c.name);
        return c;
      }
      if (field.name !== c.name) renamed.push(`"${c.name}" → "${field.name}"`);
      const type = marketoTypeOf(field.dataType);
      return { ...c, name: field.name, ...(type ? { type } : {}) };
    });
    if (unknown.length > 0) {
      const named = unknown.map((n) => {
        const close = closestNames(n, [...byName.keys()]);
        return close.length > 0 ? `"${n}" (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : `"${n}"`;
      });
      problems.push(`column(s) ${named.join(', ')} are not fields of ${objectName(mapping.target)}; rename them with field_mappings or drop them from the stream`);
    }
    const names = columns.map((c) => c.name);
    const twice = names.filter((name, i) => names.indexOf(name) !== i);
    if (twice.length > 0) problems.push(`several columns name the same field: ${[...new Set(twice)].map((n) => `"${n}"`).join(', ')}`);
    const missingKeys = keyFields.filter((k) => !names.includes(k));
    if (missingKeys.length > 0) {
      problems.push(`key field(s) ${missingKeys.map((n) => `"${n}"`).join(', ')} are not among the stream's columns, so Marketo would fail every row`);
    }
    return { problems, keyFields, columns, ...(renamed.length > 0 ? { renamed } : {}) };
  }
}

/** A hint for a name that differs from a field's only in case. */
function didYouMean(name: string, fields: FieldInfo[]): string {
  const field = fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  return field ? ` (did you mean "${field.name}"? Names are case-sensitive)` : '';
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
