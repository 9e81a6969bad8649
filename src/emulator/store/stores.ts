import type { StoredValue } from '../seed/cells.js';
import type { Catalog } from '../seed/catalog.js';
import { CustomObjectStore } from './custom-objects.js';
import { LeadStore } from './leads.js';
import { ProgramMemberStore } from './program-members.js';

export type StoredRecord = Record<string, StoredValue>;

export interface Page {
  offset?: number;
  limit?: number;
}

export interface StoreCounts {
  leads: number;
  customObjects: Record<string, number>;
  programMembers: number;
}

/** Read access to what imports have landed, for tests and the demo. */
export interface EmulatorStore {
  leads(page?: Page): StoredRecord[];
  /** Throws for an apiName that is not in the seed. */
  customObjects(apiName: string, page?: Page): StoredRecord[];
  /** Memberships (of one program or all), each with the member's `email` for convenience. */
  programMembers(programId?: number, page?: Page): StoredRecord[];
  /** Lead ids added to a static list through `listId`. */
  listMembers(listId: number): number[];
  counts(): StoreCounts;
}

/** Every table of the emulated instance. */
export class Stores {
  readonly leads: LeadStore;
  readonly customObjects: CustomObjectStore;
  readonly programMembers: ProgramMemberStore;

  constructor(catalog: Catalog) {
    this.leads = new LeadStore(catalog.lead);
    this.customObjects = new CustomObjectStore(catalog);
    this.programMembers = new ProgramMemberStore(catalog.programMember);
  }

  /** A read-only view; `beforeRead` lets jobs that are due land before anything is read. */
  view(beforeRead: () => void): EmulatorStore {
    return {
      leads: (page = {}) => {
        beforeRead();
        return this.leads.table.objects(page.offset, page.limit);
      },
      customObjects: (apiName, page = {}) => {
        beforeRead();
        const table = this.customObjects.table(apiName);
        if (!table) throw new Error(`Unknown custom object ${apiName}`);
        return table.objects(page.offset, page.limit);
      },
      programMembers: (programId, page = {}) => {
        beforeRead();
        const offset = page.offset ?? 0;
        const rows = this.programMembers.rowsOf(programId).slice(offset, offset + (page.limit ?? Infinity));
        return rows.map((row) => {
          const lead = this.leads.rowOfId(this.programMembers.leadIdOf(row));
          const email = lead === undefined ? null : (this.leads.table.read(lead, this.leads.emailField) ?? null);
          return { ...this.programMembers.table.toObject(row), email };
        });
      },
      listMembers: (listId) => {
        beforeRead();
        return this.leads.listMembers(listId);
      },
      counts: () => {
        beforeRead();
        return {
          leads: this.leads.table.size,
          customObjects: this.customObjects.counts(),
          programMembers: this.programMembers.table.size,
        };
      },
    };
  }
}
