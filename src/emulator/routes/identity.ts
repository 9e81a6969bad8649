import { MAX_REST_BODY_BYTES, parseUrlEncoded, readBody } from '../http/body.js';
import type { RequestContext, Route } from '../http/route.js';

const OAUTH_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' };
/** The API-only user that owns the emulated custom service. */
const SCOPE = 'api-user@emulator.local';

/** Client credentials from the query string, then an `application/x-www-form-urlencoded` body. */
async function credentials(ctx: RequestContext): Promise<URLSearchParams | 'too-large'> {
  const params = new URLSearchParams(ctx.url.search);
  const type = ctx.req.headers['content-type'] ?? '';
  if (ctx.req.method !== 'POST' || !type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return params;
  const body = await readBody(ctx.req, MAX_REST_BODY_BYTES);
  if (body === 'too-large') return body;
  for (const [key, value] of parseUrlEncoded(body)) if (!params.has(key)) params.set(key, value);
  return params;
}

async function token(ctx: RequestContext): Promise<void> {
  const { reply, services } = ctx;
  ctx.entry.auth = 'not-required';
  const params = await credentials(ctx);
  if (params === 'too-large') return reply.text(413, 'Request Entity Too Large', 'text/plain');
  const oauthError = (status: number, error: string, description: string): void =>
    reply.json(status, { error, error_description: description }, OAUTH_HEADERS);
  const grantType = params.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant type');
  if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
  const { clientId, clientSecret } = services.credentials;
  const id = params.get('client_id');
  if (id !== clientId) return oauthError(401, 'unauthorized', `No client with requested id: ${id ?? ''}`);
  if (params.get('client_secret') !== clientSecret) return oauthError(401, 'invalid_client', 'Bad client credentials');
  const grant = services.tokens.grant();
  reply.json(200, { access_token: grant.token, token_type: 'bearer', expires_in: grant.expiresIn, scope: SCOPE }, OAUTH_HEADERS);
}

export const identityRoutes: Route[] = ['GET', 'POST'].map((method) => ({
  method,
  pattern: /^\/identity\/oauth\/token$/,
  access: 'identity',
  handle: token,
}));
