import type { RequestContext } from '../http/route.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Checks the `Authorization: Bearer` header, the only accepted way to send a token by default. A token in the
 * query string or a form field is a violation (Adobe is removing that support) and is refused like a missing token,
 * even when a valid header is present. With `acceptFormToken`, a token in the multipart form field `access_token` is
 * checked like the header (as rudder-server sends it); it is still recorded as a violation. Returns false once a
 * refusal is sent.
 */
export function authenticate(ctx: RequestContext, formFields?: ReadonlyMap<string, string>): boolean {
  const { url, req, reply, entry, services } = ctx;
  const formToken = formFields?.get('access_token');
  const where = url.searchParams.has('access_token') ? 'query' : formToken !== undefined ? 'form' : undefined;
  const missing = services.options.missingTokenCode;
  const refuseMissing = (): false => {
    reply.error(missing, missing === '603' ? 'Access denied' : 'Access token invalid');
    return false;
  };
  if (where) {
    entry.auth = where === 'query' ? 'token-in-query' : 'token-in-form';
    services.violations.push(`access_token sent as a ${where === 'query' ? 'query parameter' : 'form field'}: ${entry.method} ${entry.path}`);
    if (where === 'query' || !services.options.acceptFormToken) return refuseMissing();
  }
  const token = BEARER.exec(req.headers.authorization ?? '')?.[1] ?? formToken;
  if (token === undefined) {
    entry.auth = 'missing';
    return refuseMissing();
  }
  const check = services.tokens.check(token);
  entry.auth = check === 'ok' ? 'ok' : check;
  if (check === 'expired') reply.error('602', 'Access token expired');
  else if (check === 'invalid') reply.error('601', 'Access token invalid');
  return check === 'ok';
}
