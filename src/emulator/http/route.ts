import type { IncomingMessage } from 'node:http';
import type { Services } from '../services.js';
import type { RequestEntry } from '../timeline.js';
import type { UploadForm } from './body.js';
import type { Reply } from './reply.js';

export interface RequestContext {
  req: IncomingMessage;
  url: URL;
  /** Capture groups of the route's pattern. */
  params: string[];
  reply: Reply;
  entry: RequestEntry;
  services: Services;
}

/**
 * `identity` routes need no token and are not counted against limits. `api` routes are.
 * `upload` routes are api routes whose multipart body is read (and size-checked) before authentication,
 * so that a token sent as a form field can be caught.
 */
export type Route = { method: string; pattern: RegExp } & (
  | { access: 'identity' | 'api'; handle(ctx: RequestContext): Promise<void> | void }
  | { access: 'upload'; handle(ctx: RequestContext, form: UploadForm): Promise<void> | void }
);

export type RouteMatch = { route: Route; params: string[] } | { error: '605' | '610' };

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  let pathKnown = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method === method) return { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    pathKnown = true;
  }
  return { error: pathKnown ? '605' : '610' };
}
