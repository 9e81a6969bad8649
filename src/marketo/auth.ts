import { z } from 'zod';
import { InvalidCredentialsError, MarketoError } from './errors.js';
import type { HttpTransport } from './transport.js';

const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number(),
  scope: z.string().optional(),
});

const OAuthError = z.looseObject({ error: z.string(), error_description: z.string().optional() });

export interface TokenOptions {
  clientId: string;
  clientSecret: string;
  /** Told about every token so that it can be redacted from all output. */
  onToken: (token: string) => void;
  now?: () => number;
}

/**
 * Client-credentials tokens from `{base}/identity/oauth/token`, cached and renewed before they run out.
 * Credentials go in a form body, never the URL, so they cannot end up in proxy or access logs.
 */
export class TokenProvider {
  private current: { token: string; expiresAt: number; lifetimeMs: number } | undefined;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly transport: HttpTransport,
    private readonly options: TokenOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async token(): Promise<string> {
    const current = this.current;
    // Renew when less than a quarter of the lifetime (at most a minute) is left, so a call never carries a token
    // that expires on its way.
    if (current && current.expiresAt - this.now() > Math.min(60_000, current.lifetimeMs / 4)) return current.token;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets a token that Marketo called invalid or expired (601/602). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async fetch(): Promise<string> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    }).toString();
    const response = await this.transport.send({
      method: 'POST',
      path: '/identity/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = safeJson(response.body);
    if (response.status === 401 || response.status === 400) {
      const error = OAuthError.safeParse(json);
      throw new InvalidCredentialsError(
        error.success ? `${error.data.error}${error.data.error_description ? `: ${error.data.error_description}` : ''}` : `HTTP ${response.status}`,
      );
    }
    if (response.status !== 200) throw MarketoError.fromHttp(response.status, '/identity/oauth/token', response.body);
    const parsed = TokenResponse.safeParse(json);
    if (!parsed.success) {
      throw new MarketoError('The Marketo identity endpoint returned an unexpected response', 'fatal', {
        path: '/identity/oauth/token',
      });
    }
    const { access_token: token, expires_in: expiresIn } = parsed.data;
    this.options.onToken(token);
    // expires_in is the remaining lifetime; a reused token may have little left, or 0.
    const lifetimeMs = Math.max(0, expiresIn) * 1000;
    this.current = { token, expiresAt: this.now() + lifetimeMs, lifetimeMs };
    return token;
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
