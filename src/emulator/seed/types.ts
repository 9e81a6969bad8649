/** The emulated instance's schema: what describe calls return and what imports validate against. */

export interface SeedField {
  /** REST API name; import headers must use it exactly. */
  name: string;
  displayName: string;
  /** Marketo data type: string, email, phone, url, text, integer, float, currency, boolean, date, datetime, ... */
  dataType: string;
  length?: number;
  /** Defaults to true. Columns naming a non-updateable field are accepted and ignored. */
  updateable?: boolean;
  crmManaged?: boolean;
}

export interface SeedLeadField extends SeedField {
  /** May be used as `lookupField` (and so is listed in describe2 `searchableFields`). */
  lookup?: boolean;
}

export interface SeedRelationship {
  field: string;
  type: string;
  relatedTo: { name: string; field: string };
}

export interface SeedCustomObject {
  apiName: string;
  displayName: string;
  pluralName: string;
  description: string;
  /** Fields that together identify a record; rows are upserted by them. */
  dedupeFields: string[];
  fields: SeedField[];
  relationships?: SeedRelationship[];
}

export interface SeedProgressionStatus {
  name: string;
  step: number;
  success: boolean;
  type?: string;
  hidden?: boolean;
  description?: string | null;
}

export interface SeedChannel {
  id: number;
  name: string;
  applicableProgramType: string;
  progressionStatuses: SeedProgressionStatus[];
}

export interface SeedProgram {
  id: number;
  name: string;
  description?: string;
  /** Marketo program type: Default, Event, Engagement, Email. */
  type: string;
  /** Name of a seeded channel; its statuses are the valid `programMemberStatus` values. */
  channel: string;
  workspace?: string;
  folder?: { id: number; name: string };
}

export interface EmulatorSeed {
  leadFields: SeedLeadField[];
  customObjects: SeedCustomObject[];
  channels: SeedChannel[];
  programs: SeedProgram[];
  /** Program member fields as `programs/members/describe.json` lists them. */
  programMemberFields: SeedField[];
}
