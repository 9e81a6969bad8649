import type { IncomingMessage } from 'node:http';
import { boundaryOf, parseMultipart } from './multipart.js';

/** "Maximum import file size: 10 MB"; Marketo answers a larger body with HTTP 413. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** "413 when the request payload exceeds 1MB" for ordinary REST calls. */
export const MAX_REST_BODY_BYTES = 1024 * 1024;

/**
 * Reads the body, or stops as soon as it is known to exceed `limit` and discards the rest
 * (so the 413 can be answered early without holding the upload in memory).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: Buffer | 'too-large' | Error): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.resume();
      settle('too-large');
    };
    req.on('data', onData);
    req.on('end', () => settle(Buffer.concat(chunks, size)));
    req.on('error', (error) => settle(error));
    req.on('close', () => settle(new Error('Client closed the connection before the body ended')));
  });
}

export interface UploadForm {
  fields: Map<string, string>;
  /** The `file` part, if it was sent as a file (with a filename). */
  file?: Buffer;
}

export function isMultipart(contentType: string | undefined): contentType is string {
  return contentType?.toLowerCase().startsWith('multipart/form-data') === true;
}

/** The form fields and the `file` part of an upload; throws MultipartError if the body is malformed. */
export function parseUpload(body: Buffer, contentType: string): UploadForm {
  const fields = new Map<string, string>();
  let file: Buffer | undefined;
  for (const part of parseMultipart(body, boundaryOf(contentType))) {
    if (part.filename === undefined) fields.set(part.name, part.data.toString('utf8'));
    else if (part.name === 'file') file = part.data;
  }
  return file ? { fields, file } : { fields };
}

export function parseUrlEncoded(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}
