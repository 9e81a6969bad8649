import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Envelope } from '../options.js';
import type { RequestEntry } from '../timeline.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

/** Marketo's `<hex>#<hex>` request id: a random prefix and the time in hex. */
export function requestId(): string {
  return `${randomBytes(2).toString('hex')}#${Date.now().toString(16)}`;
}

/** Writes responses and notes their outcome in the request's timeline entry. */
export class Reply {
  /** A muted reply records the outcome but writes nothing: the connection is about to be reset. */
  constructor(
    readonly res: ServerResponse,
    private readonly entry?: RequestEntry,
    private readonly muted = false,
    private readonly envelope: Envelope = 'docs',
  ) {}

  get sent(): boolean {
    return this.muted || this.res.headersSent || this.res.destroyed;
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(status, JSON.stringify(body), { 'content-type': JSON_TYPE, ...headers });
  }

  /**
   * A success envelope of the lead database and bulk APIs: only requestId, success and result, as in every DOCS
   * example; with the 'swagger' envelope also the `errors` and `warnings` the SPEC marks as required.
   */
  ok(result: unknown[]): void {
    const extra = this.envelope === 'swagger' ? { errors: [], warnings: [] } : {};
    this.json(200, { requestId: requestId(), success: true, ...extra, result });
  }

  /** The asset API's success envelope, which its DOCS examples show with empty `errors` and `warnings`. */
  okAsset(result: unknown[]): void {
    this.json(200, { requestId: requestId(), success: true, errors: [], warnings: [], result });
  }

  /** A success envelope carrying string warnings and no result, as the asset API answers "nothing found". */
  okEmpty(warning: string): void {
    this.json(200, { requestId: requestId(), success: true, errors: [], warnings: [warning] });
  }

  /** Marketo reports request-level errors as HTTP 200 with `success:false`. */
  error(code: string, message: string): void {
    if (this.entry) this.entry.code = code;
    this.json(200, { requestId: requestId(), success: false, errors: [{ code, message }] });
  }

  text(status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
    this.send(status, body, { 'content-type': contentType, ...headers });
  }

  /** Drops the connection without a response. */
  reset(): void {
    this.res.socket?.destroy();
  }

  private send(status: number, body: string, headers: Record<string, string>): void {
    if (this.muted) return;
    if (this.entry) this.entry.status = status;
    this.res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...headers });
    this.res.end(body);
  }
}
