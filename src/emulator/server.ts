import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { authenticate } from './auth/authenticate.js';
import { defaultMessage, type FaultRule } from './faults.js';
import { isMultipart, MAX_REST_BODY_BYTES, MAX_UPLOAD_BYTES, parseUpload, readBody, type UploadForm } from './http/body.js';
import { MultipartError } from './http/multipart.js';
import { Reply } from './http/reply.js';
import { matchRoute, type RequestContext, type Route } from './http/route.js';
import type { Services } from './services.js';

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

const CONTROL_PREFIX = '/_emulator/';

/**
 * The emulator's HTTP server. API requests go through: route → concurrency limit (615) → scripted
 * fault → [upload: body size (413) and multipart parsing] → authentication → rate limit (606) and
 * daily quota (607) → handler. Control requests under /_emulator/ skip all of it and are not recorded.
 */
export function createEmulatorServer(services: Services, routes: readonly Route[], control: ControlHandler, signal: AbortSignal): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const handled = url.pathname.startsWith(CONTROL_PREFIX)
      ? control(req, res, url)
      : handleApi(services, routes, req, res, url, signal);
    handled.catch((error: unknown) => {
      if (signal.aborted) return;
      // Never stdout: the connector under test owns it when the emulator runs in process.
      process.stderr.write(`marketo emulator: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      if (!res.headersSent) new Reply(res).error('611', 'System error');
    });
  });
}

async function handleApi(
  services: Services,
  routes: readonly Route[],
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const { clock, engine, timeline, faults, limits } = services;
  const method = req.method ?? 'GET';
  const path = url.pathname;
  engine.advance();
  const entry = timeline.request({ at: clock.now(), method, path, auth: 'not-checked', jobsInFlight: engine.inFlight() });
  res.on('close', () => {
    entry.endedAt = clock.now();
  });
  const reply = new Reply(res, entry, false, services.options.envelope);
  const match = matchRoute(routes, method, path);
  if ('error' in match) {
    reply.error(match.error, match.error === '605' ? 'HTTP Method not supported' : 'Requested resource not found');
    return;
  }
  const { route, params } = match;
  const counted = route.access !== 'identity';
  if (counted) {
    const busy = limits.enter();
    if (busy) return reply.error(busy.code, busy.message);
  }
  try {
    const fault = faults.take(method, path);
    if (fault) entry.fault = fault.kind;
    if (fault && (await answerFault(fault, req, reply, signal))) return;
    const resetAfter = fault?.kind === 'reset';
    const ctx: RequestContext = { req, url, params, reply: resetAfter ? new Reply(res, entry, true, services.options.envelope) : reply, entry, services };
    await dispatch(route, ctx);
    if (resetAfter) reply.reset();
  } finally {
    if (counted) limits.leave();
  }
}

/** Plays a scripted fault; returns true if it answered the request instead of the handler. */
async function answerFault(fault: FaultRule, req: IncomingMessage, reply: Reply, signal: AbortSignal): Promise<boolean> {
  const wait = fault.kind === 'slow' ? fault.delayMs : (fault.delayMs ?? 0);
  if (wait > 0) await delay(wait, undefined, { signal });
  switch (fault.kind) {
    case 'marketo':
      reply.error(fault.code, fault.message ?? defaultMessage(fault.code));
      return true;
    case 'http':
      reply.text(fault.status, await faultBody(fault, req), 'text/html');
      return true;
    case 'reset':
      if (fault.afterHandling) return false;
      reply.reset();
      return true;
    case 'slow':
      return false;
  }
}

async function faultBody(fault: Extract<FaultRule, { kind: 'http' }>, req: IncomingMessage): Promise<string> {
  const body = fault.body ?? `<html><body><h1>${fault.status}</h1></body></html>`;
  if (fault.echo === undefined) return body;
  const received = await readBody(req, MAX_REST_BODY_BYTES);
  const text = received === 'too-large' ? '' : received.toString('utf8');
  const echoed = fault.echo === 'json' ? JSON.stringify(text).slice(1, -1) : text;
  return body.replaceAll('{request}', () => echoed);
}

async function dispatch(route: Route, ctx: RequestContext): Promise<void> {
  if (route.access === 'identity') return route.handle(ctx);
  if (route.access === 'api') {
    if (authenticate(ctx) && admit(ctx)) await route.handle(ctx);
    return;
  }
  const body = await readBody(ctx.req, MAX_UPLOAD_BYTES);
  if (body === 'too-large') {
    ctx.reply.text(413, 'Request Entity Too Large', 'text/plain');
    return;
  }
  const contentType = ctx.req.headers['content-type'];
  const form = isMultipart(contentType) ? parseOrError(body, contentType) : undefined;
  if (!authenticate(ctx, form instanceof MultipartError ? undefined : form?.fields) || !admit(ctx)) return;
  if (!form) return ctx.reply.error('612', 'Invalid Content Type');
  if (form instanceof MultipartError) return ctx.reply.error('613', 'Invalid multipart request');
  await route.handle(ctx, form);
}

function parseOrError(body: Buffer, contentType: string): UploadForm | MultipartError {
  try {
    return parseUpload(body, contentType);
  } catch (error) {
    if (error instanceof MultipartError) return error;
    throw error;
  }
}

function admit(ctx: RequestContext): boolean {
  const refused = ctx.services.limits.admit();
  if (refused) ctx.reply.error(refused.code, refused.message);
  return refused === undefined;
}
