import { setTimeout as sleep } from 'node:timers/promises';
import type FormData from 'form-data';
import { z } from 'zod';
import { TokenProvider, safeJson } from './auth.js';
import { MarketoError } from './errors.js';
import { CallLimiter } from './limiter.js';
import { HttpTransport, stripQuery } from './transport.js';

export interface ClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  callsPer20Seconds: number;
  maxConcurrentCalls: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  requestTimeoutMs: number;
  onToken: (token: string) => void;
  /** Told about each retry, so the user can see why a sync slows down. */
  onRetry?: (error: MarketoError, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
  /** The clock token lifetimes are measured on; injectable for tests. */
  now?: () => number;
}

export interface CallRequest<T> {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** Built anew for each attempt, so a retried upload sends the whole file again. */
  form?: () => FormData;
  schema: z.ZodType<T>;
}

const Envelope = z.looseObject({
  success: z.boolean(),
  errors: z.array(z.looseObject({ code: z.union([z.string(), z.number()]), message: z.string().optional() })).optional(),
});

/** Throttle waits are not bounded by attempts, only by time: the limit windows always free up eventually. */
const MAX_THROTTLE_MS = 10 * 60_000;

/** Authenticated calls with the limiter, token refresh and the retry policy of the error taxonomy in one place. */
export class MarketoClient {
  private readonly transport: HttpTransport;
  private readonly tokens: TokenProvider;
  private readonly limiter: CallLimiter;
  /** Calls that reached Marketo's REST/bulk endpoints (identity calls are not counted, as in Marketo's quota). */
  apiCalls = 0;

  constructor(private readonly options: ClientOptions) {
    this.transport = new HttpTransport(options.baseUrl, {
      connections: options.maxConcurrentCalls + 1,
      timeoutMs: options.requestTimeoutMs,
    });
    this.tokens = new TokenProvider(this.transport, {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      onToken: options.onToken,
      now: options.now,
    });
    this.limiter = new CallLimiter({
      callsPerWindow: options.callsPer20Seconds,
      windowMs: 20_000,
      maxConcurrent: options.maxConcurrentCalls,
    });
  }

  /** Obtains a token: proves the credentials without spending API quota. */
  authenticate(): Promise<string> {
    return this.tokens.token();
  }

  /** A JSON call; resolves to the envelope's `result` validated by `schema`. */
  async call<T>(request: CallRequest<T>): Promise<T> {
    const body = await this.send(request, false);
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) {
      throw new MarketoError(`Unexpected response from Marketo ${request.path}: ${z.prettifyError(parsed.error)}`, 'fatal', {
        path: request.path,
      });
    }
    return parsed.data;
  }

  /** Downloads a CSV report (failures/warnings); `undefined` when Marketo answers 404 (no such file). */
  async download(path: string): Promise<string | undefined> {
    return (await this.send({ method: 'GET', path, schema: z.unknown() }, true)) as string | undefined;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private async send(request: CallRequest<unknown>, csv: boolean): Promise<unknown> {
    const started = Date.now();
    let attempt = 0;
    let refreshed = false;
    for (;;) {
      this.options.signal?.throwIfAborted();
      let token: string | undefined;
      try {
        // Inside the try: the identity endpoint has network faults and 5xx too, retried like any call.
        token = await this.tokens.token();
        return await this.attempt(request, token, csv);
      } catch (error) {
        if (!(error instanceof MarketoError)) throw error;
        if (error.kind === 'refresh' && token !== undefined && !refreshed) {
          refreshed = true;
          this.tokens.invalidate(token);
          continue;
        }
        // Only a token refused right after a refresh is final; one that expired during a long backoff is renewed.
        if (error.kind !== 'refresh') refreshed = false;
        attempt++;
        const delay = this.retryDelay(error, attempt, Date.now() - started);
        if (delay === undefined) throw error.kind === 'retry' ? gaveUp(error, attempt) : error;
        this.options.onRetry?.(error, attempt, delay);
        await sleep(delay, undefined, { signal: this.options.signal });
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when the error is final. */
  private retryDelay(error: MarketoError, attempt: number, elapsedMs: number): number | undefined {
    const { initialBackoffMs, maxBackoffMs, maxAttempts } = this.options;
    const backoff = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1));
    const jittered = backoff / 2 + Math.random() * (backoff / 2);
    if (error.kind === 'retry') {
      return attempt >= maxAttempts ? undefined : jittered;
    }
    if (error.kind === 'throttle') {
      if (elapsedMs > MAX_THROTTLE_MS) return undefined;
      // 606 means the 20 s window is spent (by us or another integration); 615 frees up as soon as a call ends.
      const wait = error.code === '606' ? Math.min(20_000, Math.max(jittered, initialBackoffMs)) : jittered;
      if (error.code === '606') this.limiter.penalise(Date.now() + wait);
      return wait;
    }
    return undefined;
  }

  private async attempt(request: CallRequest<unknown>, token: string, csv: boolean): Promise<unknown> {
    const path = request.path + queryString(request.query);
    const upload = request.form?.();
    const release = await this.limiter.acquire();
    let response;
    try {
      this.apiCalls++;
      response = await this.transport.send({
        method: request.method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          accept: csv ? 'text/csv, application/json' : 'application/json',
          // A fixed Content-Length; the file's bytes are streamed as they are, not copied into one body.
          ...(upload && { ...upload.getHeaders(), 'content-length': String(upload.getLengthSync()) }),
        },
        body: upload,
      });
    } finally {
      release();
    }
    if (csv && response.status === 404) return undefined;
    if (response.status !== 200) throw MarketoError.fromHttp(response.status, stripQuery(path), response.body);
    // Reports come as text/csv; an error about them comes as the usual JSON envelope.
    if (csv && !response.contentType.includes('json')) return response.body;
    const json = safeJson(response.body);
    const envelope = Envelope.safeParse(json);
    if (!envelope.success) {
      throw new MarketoError(`Marketo ${request.path} did not return JSON`, 'retry', { path: request.path });
    }
    if (!envelope.data.success) {
      const first = envelope.data.errors?.[0];
      throw MarketoError.fromEnvelope(String(first?.code ?? 'unknown'), first?.message ?? 'no message', request.path);
    }
    return json;
  }
}

function queryString(query: CallRequest<unknown>['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The error a call ends with after its last attempt: the last attempt's error, saying how many were made. */
function gaveUp(error: MarketoError, attempts: number): MarketoError {
  return new MarketoError(`${error.message} (gave up after ${attempts} attempts)`, error.kind, error.details);
}
