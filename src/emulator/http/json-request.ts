import { MAX_REST_BODY_BYTES, readBody } from './body.js';
import type { RequestContext } from './route.js';

/** A request-level refusal: Marketo's code and message. */
export interface Refusal {
  code: string;
  message: string;
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value && !Array.isArray(value);
}

/**
 * The JSON body of a REST call, `undefined` when there is none (some calls take their input from
 * the query string instead). Malformed JSON is Marketo's `609 Invalid JSON`; an oversized body is 413.
 */
export async function readJsonBody(ctx: RequestContext): Promise<unknown | Refusal | 'too-large'> {
  const body = await readBody(ctx.req, MAX_REST_BODY_BYTES);
  if (body === 'too-large') return body;
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { code: '609', message: 'Invalid JSON' };
  }
}

/** A form-encoded body (`POST ... ?_method=GET`), or the empty form. */
export async function readFormBody(ctx: RequestContext): Promise<URLSearchParams | 'too-large'> {
  const body = await readBody(ctx.req, MAX_REST_BODY_BYTES);
  if (body === 'too-large') return body;
  return new URLSearchParams(body.toString('utf8'));
}

/** Values of a `collectionFormat: multi` parameter, which callers also send comma-separated. */
export function multiValues(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).flatMap((v) => v.split(',')).filter((v) => v !== '');
}
