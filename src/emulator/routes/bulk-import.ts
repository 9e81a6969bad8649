import { isAscii } from 'node:buffer';
import { stringify } from 'csv-stringify/sync';
import { DelimitedSyntaxError, DELIMITERS, parseDelimited, type FileFormat } from '../import/delimited.js';
import { customObjectImportRules } from '../import/custom-object-import.js';
import { leadImportRules } from '../import/lead-import.js';
import { programMemberImportRules } from '../import/program-member-import.js';
import type { Rejection, RowRules } from '../import/rules.js';
import type { RowIssue } from '../import/prepared-import.js';
import type { ImportSpec, Job, JobStatus } from '../jobs/job.js';
import type { UploadForm } from '../http/body.js';
import type { RequestContext, Route } from '../http/route.js';
import type { RuntimeOptions } from '../options.js';
import { createdView, customObjectView, leadView, programMemberView, type ImportView } from './import-views.js';

type ImportObject = ImportSpec['object'];

interface ObjectApi {
  object: ImportObject;
  view: ImportView;
}

const LEADS: ObjectApi = { object: 'leads', view: leadView };
const CUSTOM_OBJECTS: ObjectApi = { object: 'customObjects', view: customObjectView };
const PROGRAM_MEMBERS: ObjectApi = { object: 'programMembers', view: programMemberView };

/** A parameter from the query string, or else from a multipart form field (Adobe's cURL examples use both). */
function param(ctx: RequestContext, form: UploadForm, name: string): string | undefined {
  return ctx.url.searchParams.get(name) ?? form.fields.get(name);
}

interface Upload {
  delimiter: string;
  header: string[];
  text: string;
  fileBytes: number;
}

/** The file and its format, as every create call reads them. */
function readUpload(ctx: RequestContext, form: UploadForm): Upload | Rejection {
  const format = (param(ctx, form, 'format') ?? 'csv').toLowerCase();
  if (!(format in DELIMITERS)) return { code: '1003', message: `Invalid format '${format}'` };
  const delimiter = DELIMITERS[format as FileFormat];
  if (!form.file) return { code: '613', message: 'Invalid multipart request' };
  ctx.entry.fileBytes = form.file.length;
  if (form.file.length === 0) return { code: '1003', message: 'Empty file' };
  // Pure ASCII (the usual case) decodes several times faster as latin1, with the same result.
  const text = form.file.toString(isAscii(form.file) ? 'latin1' : 'utf8');
  try {
    return { delimiter, header: parseDelimited(text, delimiter, 1)[0] ?? [], text, fileBytes: form.file.length };
  } catch (error) {
    if (error instanceof DelimitedSyntaxError) return { code: '1003', message: `Invalid file header: ${error.message}` };
    throw error;
  }
}

/** What the create call says of a job it just queued (DOCS: "Queued, Importing, or Failed"). */
function createdStatus(job: Job, mode: RuntimeOptions['createStatus']): JobStatus {
  if (job.status === 'Failed') return 'Failed';
  if (mode === 'queued' || job.status === 'Queued') return 'Queued';
  // An instant job may already be Complete: the create call answers before the import has run.
  return 'Importing';
}

/** Checks the upload, builds the row rules and queues the job; answers its status, or the refusal. */
function createImport(
  ctx: RequestContext,
  form: UploadForm,
  api: ObjectApi,
  rulesFor: (header: string[]) => RowRules | Rejection,
  target: Pick<ImportSpec, 'apiName' | 'programId'> = {},
): void {
  const { reply, services } = ctx;
  const upload = readUpload(ctx, form);
  if ('code' in upload) return reply.error(upload.code, upload.message);
  const rules = rulesFor(upload.header);
  if ('code' in rules) return reply.error(rules.code, rules.message);
  const job = services.engine.submit({ object: api.object, ...target, ...upload, rules });
  if (job === 'queue-full') {
    return reply.error('1016', `There are ${services.options.maxQueued} imports currently being processed. Please try again later`);
  }
  ctx.entry.batchId = job.batchId;
  const { createStatus, envelope } = services.options;
  if (createStatus === 'live') services.engine.advance();
  reply.ok([createdView(api.view(job, services.clock.now()), createdStatus(job, createStatus), envelope)]);
}

function deps(ctx: RequestContext) {
  const { catalog, stores, options } = ctx.services;
  return { catalog, stores, emptyCells: options.emptyCells };
}

/** The job behind a status or file URL, if it exists and belongs to that API (and custom object). */
function findJob(ctx: RequestContext, api: ObjectApi, batchId: string, apiName?: string) {
  const job = ctx.services.engine.get(Number(batchId));
  if (!job || job.spec.object !== api.object) return undefined;
  if (apiName !== undefined && job.spec.apiName !== apiName) return undefined;
  ctx.entry.batchId = job.batchId;
  return job;
}

function status(ctx: RequestContext, api: ObjectApi, batchId: string, apiName?: string): void {
  const job = findJob(ctx, api, batchId, apiName);
  if (!job) return ctx.reply.error('1003', `Batch ${batchId} not found`);
  ctx.reply.ok([api.view(job, ctx.services.clock.now())]);
}

const REASON_COLUMN = { failures: 'Import Failure Reason', warnings: 'Import Warning Reason' } as const;
type FileKind = keyof typeof REASON_COLUMN;

/**
 * The failed or warned rows in the job's own format, plus the reason column; 404 when there are none. By default a
 * column empty in every listed row is left out, as in a published capture (header firstName,lastName,phone,email and a
 * row with an empty email came back as firstName,lastName,phone,Import Failure Reason).
 */
function rowsFile(ctx: RequestContext, api: ObjectApi, batchId: string, kind: string, apiName?: string): void {
  const job = findJob(ctx, api, batchId, apiName);
  const fileKind = kind as FileKind;
  const issues: RowIssue[] = job?.result?.[fileKind] ?? [];
  if (!job || job.spec.object === 'foreign' || issues.length === 0) return ctx.reply.text(404, '', 'text/plain');
  const { header, delimiter } = job.spec;
  const dropEmpty = ctx.services.options.reportColumns === 'drop-empty';
  const kept = header.flatMap((_, i) => (dropEmpty && issues.every(({ cells }) => !cells[i]) ? [] : [i]));
  const records = issues.map(({ cells, reason }) => [...kept.map((i) => cells[i] ?? ''), reason]);
  const csv = stringify([[...kept.map((i) => header[i]!), REASON_COLUMN[fileKind]], ...records], { delimiter });
  ctx.reply.text(200, csv, 'text/csv;charset=UTF-8');
}

const FILE = '(failures|warnings)';

export const bulkImportRoutes: Route[] = [
  {
    method: 'POST',
    pattern: /^\/bulk\/v1\/leads\.json$/,
    access: 'upload',
    handle: (ctx, form) => {
      const listId = param(ctx, form, 'listId');
      if (listId !== undefined && !/^\d+$/.test(listId)) return ctx.reply.error('1003', `Invalid listId '${listId}'`);
      const lookupField = param(ctx, form, 'lookupField') ?? 'email';
      const params = { lookupField, ...(listId === undefined ? {} : { listId: Number(listId) }) };
      createImport(ctx, form, LEADS, (header) => leadImportRules(deps(ctx), header, params));
    },
  },
  {
    method: 'GET',
    pattern: /^\/bulk\/v1\/leads\/batch\/(\d+)\.json$/,
    access: 'api',
    handle: (ctx) => status(ctx, LEADS, ctx.params[0]!),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/bulk/v1/leads/batch/(\\d+)/${FILE}\\.json$`),
    access: 'api',
    handle: (ctx) => rowsFile(ctx, LEADS, ctx.params[0]!, ctx.params[1]!),
  },
  {
    method: 'POST',
    pattern: /^\/bulk\/v1\/customobjects\/([^/]+)\/import\.json$/,
    access: 'upload',
    handle: (ctx, form) => {
      const apiName = ctx.params[0]!;
      createImport(ctx, form, CUSTOM_OBJECTS, (header) => customObjectImportRules(deps(ctx), header, apiName), { apiName });
    },
  },
  {
    method: 'GET',
    pattern: /^\/bulk\/v1\/customobjects\/([^/]+)\/import\/(\d+)\/status\.json$/,
    access: 'api',
    handle: (ctx) => status(ctx, CUSTOM_OBJECTS, ctx.params[1]!, ctx.params[0]!),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/bulk/v1/customobjects/([^/]+)/import/(\\d+)/${FILE}\\.json$`),
    access: 'api',
    handle: (ctx) => rowsFile(ctx, CUSTOM_OBJECTS, ctx.params[1]!, ctx.params[2]!, ctx.params[0]!),
  },
  {
    method: 'POST',
    pattern: /^\/bulk\/v1\/program\/([^/]+)\/members\/import\.json$/,
    access: 'upload',
    handle: (ctx, form) => {
      const programId = ctx.params[0]!;
      const programMemberStatus = param(ctx, form, 'programMemberStatus');
      if (!programMemberStatus) return ctx.reply.error('1003', 'programMemberStatus is required');
      const params = { programId, programMemberStatus };
      createImport(ctx, form, PROGRAM_MEMBERS, (header) => programMemberImportRules(deps(ctx), header, params), {
        programId: Number(programId),
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/bulk\/v1\/program\/members\/import\/(\d+)\/status\.json$/,
    access: 'api',
    handle: (ctx) => status(ctx, PROGRAM_MEMBERS, ctx.params[0]!),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/bulk/v1/program/members/import/(\\d+)/${FILE}\\.json$`),
    access: 'api',
    handle: (ctx) => rowsFile(ctx, PROGRAM_MEMBERS, ctx.params[0]!, ctx.params[1]!),
  },
];
