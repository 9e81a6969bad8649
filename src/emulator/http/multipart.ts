/**
 * multipart/form-data (RFC 7578) over a buffered body. Written for speed: locating boundaries with
 * Buffer.indexOf takes a millisecond on a 10 MB upload, where a general Web API parser took ~100 ms.
 * Strict about structure (CRLF delimiters, a closing delimiter, a named Content-Disposition per part),
 * as a malformed body must get Marketo's 613.
 */

export interface Part {
  name: string;
  /** Present for file parts. */
  filename?: string;
  data: Buffer;
}

export class MultipartError extends Error {}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');
const DASH = 0x2d;
const PARAM = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;

export function boundaryOf(contentType: string): string {
  PARAM.lastIndex = 0;
  for (const m of contentType.matchAll(PARAM)) {
    if (m[1]?.toLowerCase() === 'boundary') {
      const boundary = m[2] ?? m[3] ?? '';
      if (boundary.length > 0 && boundary.length <= 70) return boundary;
    }
  }
  throw new MultipartError('Missing or invalid boundary');
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  // A preamble before the first delimiter is allowed and ignored.
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(nextDelimiter);
  if (at === -1) throw new MultipartError('No boundary delimiter found');
  if (at > 0) at += CRLF.length;
  const parts: Part[] = [];
  for (;;) {
    let p = at + delimiter.length;
    if (body[p] === DASH && body[p + 1] === DASH) return parts; // close delimiter; the epilogue is ignored
    while (body[p] === 0x20 || body[p] === 0x09) p++; // transport padding
    if (!body.subarray(p, p + 2).equals(CRLF)) throw new MultipartError('Boundary delimiter not followed by CRLF');
    const headerStart = p + 2;
    let dataStart: number;
    let headerText: string;
    if (body.subarray(headerStart, headerStart + 2).equals(CRLF)) {
      headerText = '';
      dataStart = headerStart + 2;
    } else {
      const headerEnd = body.indexOf(HEADERS_END, headerStart);
      if (headerEnd === -1) throw new MultipartError('Part headers do not end');
      headerText = body.toString('utf8', headerStart, headerEnd);
      dataStart = headerEnd + HEADERS_END.length;
    }
    const end = body.indexOf(nextDelimiter, dataStart);
    if (end === -1) throw new MultipartError('Part is not terminated by a boundary delimiter');
    parts.push({ ...disposition(headerText), data: body.subarray(dataStart, end) });
    at = end + CRLF.length;
  }
}

function disposition(headerText: string): { name: string; filename?: string } {
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.slice(0, colon).trim().toLowerCase() !== 'content-disposition') continue;
    const value = line.slice(colon + 1);
    if (!/^\s*form-data\s*(;|$)/i.test(value)) break;
    const params = new Map<string, string>();
    for (const m of value.matchAll(PARAM)) params.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
    const name = params.get('name');
    if (name === undefined) break;
    const filename = params.get('filename');
    return filename === undefined ? { name } : { name, filename };
  }
  throw new MultipartError('Part without a form-data Content-Disposition name');
}
