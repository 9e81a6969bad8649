import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { MarketoError } from './errors.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path and query string, e.g. `/bulk/v1/leads.json?format=csv`. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
}

export interface HttpResponse {
  status: number;
  contentType: string;
  body: string;
}

/** One undici Pool per base URL. Every response body is consumed, so connections are always reused or freed. */
export class HttpTransport {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(baseUrl: string, options: { connections: number; timeoutMs: number }) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const path = this.basePath + request.path;
    try {
      const response = await this.pool.request({
        method: request.method,
        path,
        headers: request.headers,
        body: request.body,
      });
      const body = await response.body.text();
      const contentType = String(response.headers['content-type'] ?? '');
      return { status: response.statusCode, contentType, body };
    } catch (error) {
      throw MarketoError.fromNetwork(error, stripQuery(request.path));
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export function stripQuery(path: string): string {
  const i = path.indexOf('?');
  return i < 0 ? path : path.slice(0, i);
}
