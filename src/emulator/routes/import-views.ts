import type { Job, JobStatus } from '../jobs/job.js';
import type { Envelope } from '../options.js';

/**
 * Result items of the three import APIs. Shapes follow the SPEC's Import*Response definitions
 * (whose required keys are always present) and the DOCS examples for the optional ones.
 */
export type ImportView = (job: Job, now: number) => Record<string, unknown>;

function optional(job: Job): Record<string, unknown> {
  return job.message === undefined ? {} : { message: job.message };
}

export const leadView: ImportView = (job, now) => {
  const c = job.counts(now);
  return {
    batchId: job.batchId,
    importId: String(job.batchId),
    status: job.status,
    numOfLeadsProcessed: c.processed,
    numOfRowsFailed: c.failed,
    numOfRowsWithWarning: c.warned,
    ...optional(job),
  };
};

/** Program member status carries the lead counters although the SPEC omits them (DOCS examples have them). */
export const programMemberView: ImportView = leadView;

export const customObjectView: ImportView = (job, now) => {
  const c = job.counts(now);
  const apiName = job.spec.object === 'customObjects' ? job.spec.apiName : undefined;
  return {
    batchId: job.batchId,
    operation: 'import',
    status: job.status,
    objectApiName: apiName,
    numOfObjectsProcessed: c.processed,
    numOfRowsFailed: c.failed,
    numOfRowsWithWarning: c.warned,
    ...(job.startedAt === undefined ? {} : { importTime: importTime((job.endedAt ?? now) - job.startedAt) }),
    ...optional(job),
  };
};

/** "Time spent on the batch", in the DOCS form "2 second(s)". */
function importTime(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} second(s)`;
}

/** The keys of the DOCS examples of create answers: `importId` (leads, program members) or `objectApiName` (custom objects). */
const CREATED_KEYS = new Set(['batchId', 'importId', 'status', 'objectApiName']);

/**
 * A create call's result item: the job's item with `status`, and no import has run yet, so counters are 0 ('swagger')
 * or absent ('docs', which also leaves out `operation`). A Failed answer keeps its `message`, as the DOCS allow.
 */
export function createdView(item: Record<string, unknown>, status: JobStatus, envelope: Envelope): Record<string, unknown> {
  const created: Record<string, unknown> = {};
  for (const [key, value] of Object.entries({ ...item, status })) {
    if (key === 'importTime' || (key === 'message' && status !== 'Failed')) continue;
    if (key.startsWith('numOf')) {
      if (envelope === 'swagger') created[key] = 0;
    } else if (envelope === 'swagger' || CREATED_KEYS.has(key) || key === 'message') {
      created[key] = value;
    }
  }
  return created;
}
