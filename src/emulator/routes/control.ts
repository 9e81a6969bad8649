import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MAX_REST_BODY_BYTES, readBody } from '../http/body.js';
import { Reply } from '../http/reply.js';
import type { FaultRule } from '../faults.js';
import type { Emulator } from '../emulator.js';

const count = z.number().int().nonnegative();
const match = {
  path: z.string().optional(),
  /** A regular expression source, since JSON cannot carry a RegExp. */
  pathPattern: z.string().optional(),
  method: z.string().optional(),
  times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  delayMs: count.optional(),
};
const faultBody = z.discriminatedUnion('kind', [
  z.strictObject({ ...match, kind: z.literal('marketo'), code: z.string().min(1), message: z.string().optional() }),
  z.strictObject({ ...match, kind: z.literal('http'), status: z.number().int().min(100).max(599), body: z.string().optional(), echo: z.enum(['raw', 'json']).optional() }),
  z.strictObject({ ...match, kind: z.literal('reset'), afterHandling: z.boolean().optional() }),
  z.strictObject({ ...match, kind: z.literal('slow'), delayMs: count }),
]);
const failJobBody = z.strictObject({
  match: z.union([z.literal('next'), z.number().int()]),
  message: z.string().optional(),
  always: z.boolean().optional(),
  atCreate: z.boolean().optional(),
});
const foreignBody = z.strictObject({ count: z.number().int().positive(), durationMs: count.optional() });
const quotaBody = z.strictObject({ limit: z.union([count, z.literal(false)]), used: count.optional() });
/** JSON has no Infinity, so `rowsPerSecond` also accepts "Infinity". */
const configBody = z.strictObject({
  tokenLifetimeSeconds: z.number().positive().optional(),
  rowsPerSecond: z.union([z.number().positive(), z.literal('Infinity').transform(() => Infinity)]).optional(),
  jobLatencyMs: count.optional(),
  maxImporting: z.number().int().positive().optional(),
  maxQueued: z.number().int().positive().optional(),
  rateLimit: z.union([z.strictObject({ calls: z.number().int().positive(), windowSeconds: z.number().positive() }), z.literal(false)]).optional(),
  concurrencyLimit: z.union([z.number().int().positive(), z.literal(false)]).optional(),
  dailyQuota: z.union([count, z.literal(false)]).optional(),
  missingTokenCode: z.enum(['601', '603']).optional(),
  emptyCells: z.enum(['clear', 'keep']).optional(),
  reportColumns: z.enum(['drop-empty', 'all']).optional(),
  envelope: z.enum(['docs', 'swagger']).optional(),
  createStatus: z.enum(['queued', 'live']).optional(),
  acceptFormToken: z.boolean().optional(),
});

function toFaultRule(body: z.infer<typeof faultBody>): FaultRule {
  const { pathPattern, times, ...rest } = body;
  return {
    ...rest,
    ...(pathPattern === undefined ? {} : { path: new RegExp(pathPattern) }),
    ...(times === undefined ? {} : { times: times === 'always' ? Infinity : times }),
  };
}

async function jsonBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const body = await readBody(req, MAX_REST_BODY_BYTES);
  if (body === 'too-large') throw new Error('Body too large');
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error('Body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

function page(url: URL): { offset: number; limit: number } {
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 1000);
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0) throw new Error('Invalid offset or limit');
  return { offset, limit };
}

type ControlRoute = [method: string, pattern: RegExp, run: (emulator: Emulator, req: IncomingMessage, url: URL, params: string[]) => Promise<unknown> | unknown];

const routes: ControlRoute[] = [
  ['GET', /^\/_emulator\/store$/, (e) => e.store.counts()],
  ['GET', /^\/_emulator\/store\/leads$/, (e, _req, url) => e.store.leads(page(url))],
  ['GET', /^\/_emulator\/store\/customobjects\/([^/]+)$/, (e, _req, url, [apiName]) => e.store.customObjects(apiName!, page(url))],
  [
    'GET',
    /^\/_emulator\/store\/programmembers$/,
    (e, _req, url) => {
      const programId = url.searchParams.get('programId');
      return e.store.programMembers(programId === null ? undefined : Number(programId), page(url));
    },
  ],
  ['GET', /^\/_emulator\/store\/lists\/(\d+)$/, (e, _req, _url, [listId]) => e.store.listMembers(Number(listId))],
  ['GET', /^\/_emulator\/jobs$/, (e) => e.jobs()],
  ['GET', /^\/_emulator\/timeline$/, (e, _req, url) => e.timeline.slice(Number(url.searchParams.get('since') ?? 0))],
  ['GET', /^\/_emulator\/tokens$/, (e) => e.issuedTokens()],
  ['GET', /^\/_emulator\/violations$/, (e) => e.violations()],
  ['POST', /^\/_emulator\/faults$/, async (e, req) => ({ id: e.faults.inject(toFaultRule(await jsonBody(req, faultBody))).id })],
  ['DELETE', /^\/_emulator\/faults$/, (e) => e.faults.clear()],
  ['POST', /^\/_emulator\/faults\/fail-job$/, async (e, req) => e.faults.failJob(await jsonBody(req, failJobBody))],
  [
    'POST',
    /^\/_emulator\/faults\/foreign-jobs$/,
    async (e, req) => {
      const body = await jsonBody(req, foreignBody);
      return { batchIds: e.faults.queueForeignJobs(body.count, body.durationMs) };
    },
  ],
  ['POST', /^\/_emulator\/faults\/foreign-jobs\/release$/, (e) => e.faults.releaseForeignJobs()],
  ['POST', /^\/_emulator\/faults\/expire-tokens$/, (e) => e.faults.expireTokens()],
  [
    'POST',
    /^\/_emulator\/faults\/daily-quota$/,
    async (e, req) => {
      const body = await jsonBody(req, quotaBody);
      e.faults.setDailyQuota(body.limit, body.used);
    },
  ],
  ['POST', /^\/_emulator\/config$/, async (e, req) => e.configure(await jsonBody(req, configBody))],
];

/** The in-process controls and read API, over HTTP, for an emulator running in another process. */
export function controlHandler(emulator: () => Emulator) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const reply = new Reply(res);
    for (const [method, pattern, run] of routes) {
      const m = pattern.exec(url.pathname);
      if (!m || method !== req.method) continue;
      try {
        const result = await run(emulator(), req, url, m.slice(1).map((p) => decodeURIComponent(p)));
        reply.json(200, result ?? { ok: true });
      } catch (error) {
        // Bad bodies, unknown names and invalid settings all surface as the caller's error.
        reply.json(400, { error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    reply.json(404, { error: `No control endpoint ${req.method ?? ''} ${url.pathname}` });
  };
}
