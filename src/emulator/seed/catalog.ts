import { cellKind, type CellKind } from './cells.js';
import { defaultSeed } from './defaults.js';
import type { EmulatorSeed, SeedChannel, SeedCustomObject, SeedField, SeedProgram } from './types.js';

export interface FieldSpec {
  name: string;
  displayName: string;
  kind: CellKind;
  updateable: boolean;
  /** Index of the field's value in a stored record. */
  position: number;
}

/** The fields of one object type, by name and by storage position. */
export class ObjectSchema {
  readonly fields: readonly FieldSpec[];
  private readonly byName: Map<string, FieldSpec>;
  private readonly byLowerCaseName: Map<string, FieldSpec>;

  constructor(seedFields: readonly SeedField[]) {
    this.fields = seedFields.map((f, position) => ({
      name: f.name,
      displayName: f.displayName,
      kind: cellKind(f.dataType),
      updateable: f.updateable ?? true,
      position,
    }));
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
    this.byLowerCaseName = new Map(this.fields.map((f) => [f.name.toLowerCase(), f]));
  }

  field(name: string): FieldSpec | undefined {
    return this.byName.get(name);
  }

  /** The field whose name matches in any case, as lead import headers do (DOCS@v0: `FirstName,LastName,Email,Company`). */
  fieldInAnyCase(name: string): FieldSpec | undefined {
    return this.byName.get(name) ?? this.byLowerCaseName.get(name.toLowerCase());
  }

  /** The field by name, for fields the emulator itself relies on. */
  required(name: string, what: string): FieldSpec {
    const spec = this.byName.get(name);
    if (!spec) throw new Error(`Emulator seed: ${what} must declare a '${name}' field`);
    return spec;
  }
}

export interface CustomObjectType {
  seed: SeedCustomObject;
  schema: ObjectSchema;
  dedupe: FieldSpec[];
}

export interface ProgramInfo {
  program: SeedProgram;
  channel: SeedChannel;
}

/** The seed, checked for consistency and indexed for the routes and importers. */
export class Catalog {
  readonly seed: EmulatorSeed;
  readonly lead: ObjectSchema;
  readonly programMember: ObjectSchema;
  private readonly customObjects: Map<string, CustomObjectType>;
  private readonly programs: Map<number, ProgramInfo>;

  constructor(overrides: Partial<EmulatorSeed> = {}) {
    this.seed = { ...defaultSeed, ...overrides };
    this.lead = new ObjectSchema(this.seed.leadFields);
    this.lead.required('id', 'leadFields');
    this.lead.required('email', 'leadFields');
    this.programMember = new ObjectSchema(this.seed.programMemberFields);
    this.customObjects = new Map(
      this.seed.customObjects.map((seed) => {
        const schema = new ObjectSchema(seed.fields);
        const dedupe = seed.dedupeFields.map((name) => schema.required(name, `custom object ${seed.apiName}`));
        return [seed.apiName, { seed, schema, dedupe }];
      }),
    );
    const channels = new Map(this.seed.channels.map((c) => [c.name, c]));
    this.programs = new Map(
      this.seed.programs.map((program) => {
        const channel = channels.get(program.channel);
        if (!channel) throw new Error(`Emulator seed: program ${program.id} names unknown channel '${program.channel}'`);
        return [program.id, { program, channel }];
      }),
    );
  }

  isLookupField(name: string): boolean {
    return this.seed.leadFields.some((f) => f.name === name && f.lookup === true);
  }

  customObject(apiName: string): CustomObjectType | undefined {
    return this.customObjects.get(apiName);
  }

  program(id: number): ProgramInfo | undefined {
    return this.programs.get(id);
  }

  channel(name: string): SeedChannel | undefined {
    return this.seed.channels.find((c) => c.name === name);
  }
}
