import FormData from 'form-data';
import { z } from 'zod';
import type { FileFormat } from './file-format.js';
import type { MarketoClient } from './client.js';

/** Where and how one stream's files are imported: one of Marketo's three bulk import objects. */
export type ImportTarget =
  | { kind: 'leads'; lookupField: string; partitionName?: string; listId?: number }
  | { kind: 'custom_object'; apiName: string }
  | { kind: 'program_members'; programId: string; status: string };

export type JobStatusName = 'Queued' | 'Importing' | 'Complete' | 'Failed';

export interface JobStatus {
  batchId: number;
  status: JobStatusName;
  /** Rows imported, warned rows included (numOfLeadsProcessed / numOfObjectsProcessed). */
  processed: number;
  failed: number;
  warned: number;
  message?: string;
}

const count = z.number().int().nonnegative().optional();
const JobResult = z.looseObject({
  batchId: z.number().int(),
  status: z.enum(['Queued', 'Importing', 'Complete', 'Failed']),
  numOfLeadsProcessed: count,
  numOfObjectsProcessed: count,
  numOfRowsFailed: count,
  numOfRowsWithWarning: count,
  message: z.string().optional(),
});
const JobResponse = z.looseObject({ result: z.array(JobResult).min(1) });

export function describeTarget(target: ImportTarget): string {
  switch (target.kind) {
    case 'leads':
      return `leads (lookupField ${target.lookupField})`;
    case 'custom_object':
      return `custom object ${target.apiName}`;
    case 'program_members':
      return `members of program ${target.programId} (status "${target.status}")`;
  }
}

/** Files that may not run side by side share this key: same object, so the same rows may be touched. */
export function targetKey(target: ImportTarget): string {
  switch (target.kind) {
    case 'leads':
      return 'leads';
    case 'custom_object':
      return `custom_object:${target.apiName}`;
    case 'program_members':
      return `program_members:${target.programId}`;
  }
}

function paths(target: ImportTarget): { create: string; job: (batchId: number) => string } {
  switch (target.kind) {
    case 'leads':
      return { create: '/bulk/v1/leads.json', job: (id) => `/bulk/v1/leads/batch/${id}` };
    case 'custom_object': {
      const base = `/bulk/v1/customobjects/${encodeURIComponent(target.apiName)}/import`;
      return { create: `${base}.json`, job: (id) => `${base}/${id}` };
    }
    case 'program_members':
      return {
        create: `/bulk/v1/program/${encodeURIComponent(target.programId)}/members/import.json`,
        job: (id) => `/bulk/v1/program/members/import/${id}`,
      };
  }
}

function createQuery(target: ImportTarget, format: FileFormat): Record<string, string | number | undefined> {
  switch (target.kind) {
    case 'leads':
      return {
        format,
        lookupField: target.lookupField,
        partitionName: target.partitionName,
        listId: target.listId,
      };
    case 'custom_object':
      return { format };
    case 'program_members':
      // The Swagger enum for this endpoint is upper case.
      return { format: format.toUpperCase(), programMemberStatus: target.status };
  }
}

function toStatus(result: z.infer<typeof JobResult>): JobStatus {
  return {
    batchId: result.batchId,
    status: result.status,
    processed: result.numOfLeadsProcessed ?? result.numOfObjectsProcessed ?? 0,
    failed: result.numOfRowsFailed ?? 0,
    warned: result.numOfRowsWithWarning ?? 0,
    message: result.message,
  };
}

/** What running import jobs takes: create one, poll it, fetch its failures and warnings reports. */
export interface ImportJobs {
  create(target: ImportTarget, file: Buffer, format: FileFormat): Promise<JobStatus>;
  status(target: ImportTarget, batchId: number): Promise<JobStatus>;
  failures(target: ImportTarget, batchId: number): Promise<string | undefined>;
  warnings(target: ImportTarget, batchId: number): Promise<string | undefined>;
}

/** The Bulk Import API for the three objects behind one interface. */
export class BulkImportApi implements ImportJobs {
  constructor(private readonly client: MarketoClient) {}

  async create(target: ImportTarget, file: Buffer, format: FileFormat): Promise<JobStatus> {
    const response = await this.client.call({
      method: 'POST',
      path: paths(target).create,
      query: createQuery(target, format),
      form: () => {
        const form = new FormData();
        form.append('file', file, { filename: `import.${format}`, contentType: 'text/csv' });
        return form;
      },
      schema: JobResponse,
    });
    return toStatus(response.result[0]!);
  }

  async status(target: ImportTarget, batchId: number): Promise<JobStatus> {
    const p = paths(target).job(batchId);
    const path = target.kind === 'leads' ? `${p}.json` : `${p}/status.json`;
    const response = await this.client.call({ method: 'GET', path, schema: JobResponse });
    return toStatus(response.result[0]!);
  }

  failures(target: ImportTarget, batchId: number): Promise<string | undefined> {
    return this.client.download(`${paths(target).job(batchId)}/failures.json`);
  }

  warnings(target: ImportTarget, batchId: number): Promise<string | undefined> {
    return this.client.download(`${paths(target).job(batchId)}/warnings.json`);
  }
}
