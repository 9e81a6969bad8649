import { FormData, Response } from 'undici';
import { describe, expect, test } from 'vitest';
import { boundaryOf, MultipartError, parseMultipart } from '../../src/emulator/http/multipart.js';

/** Encodes a form the way real clients do (undici's FormData), for the parser to read back. */
async function encode(fill: (form: FormData) => void): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  fill(form);
  const response = new Response(form);
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

/** undici's own parser is the oracle: both must read the same names, filenames and bytes. */
async function viaUndici(body: Buffer, contentType: string) {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const parts = [];
  for (const [name, value] of form) {
    parts.push(typeof value === 'string' ? { name, data: Buffer.from(value) } : { name, filename: value.name, data: Buffer.from(await value.arrayBuffer()) });
  }
  return parts;
}

describe('multipart parser', () => {
  test.each([
    ['fields and a file', (f: FormData) => {
      f.set('format', 'csv');
      f.set('lookupField', 'email');
      f.set('file', new Blob(['email,name\r\na@b.co,"x\r\n--not-a-boundary"\r\n']), 'leads.csv');
    }],
    ['unicode values and filename', (f: FormData) => {
      f.set('programMemberStatus', 'Zoë – invité');
      f.set('file', new Blob(['email\nü@x.co\n']), 'données.csv');
    }],
    ['an empty file', (f: FormData) => f.set('file', new Blob([]), 'empty.csv')],
  ])('reads %s like undici does', async (_name, fill) => {
    const { body, contentType } = await encode(fill);
    const ours = parseMultipart(body, boundaryOf(contentType)).map((p) => ({ ...p, data: Buffer.from(p.data) }));
    expect(ours).toEqual(await viaUndici(body, contentType));
  });

  test('accepts a preamble, an epilogue and a quoted boundary', () => {
    const body = Buffer.from('preamble\r\n--b:x y\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n--b:x y--\r\nepilogue');
    expect(parseMultipart(body, boundaryOf('multipart/form-data; boundary="b:x y"'))).toEqual([{ name: 'format', data: Buffer.from('csv') }]);
  });

  test.each([
    ['no boundary parameter', 'multipart/form-data', '--b\r\n'],
    ['no delimiter in the body', 'multipart/form-data; boundary=b', 'just text'],
    ['no closing delimiter', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n'],
    ['headers that never end', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n'],
    ['a part without a name', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--'],
    ['a part without Content-Disposition', 'multipart/form-data; boundary=b', '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--'],
    ['a delimiter not followed by CRLF', 'multipart/form-data; boundary=b', '--bxyz\r\n\r\nx\r\n--b--'],
  ])('rejects %s', (_name, contentType, body) => {
    expect(() => parseMultipart(Buffer.from(body), boundaryOf(contentType))).toThrow(MultipartError);
  });

  test('parses a 10 MB upload quickly', async () => {
    const csv = 'email,name\n' + 'someone@example.com,Some Body\n'.repeat(340_000);
    const { body, contentType } = await encode((f) => f.set('file', new Blob([csv]), 'big.csv'));
    const started = performance.now();
    const [file] = parseMultipart(body, boundaryOf(contentType));
    expect(performance.now() - started).toBeLessThan(100);
    expect(file?.data.length).toBe(csv.length);
  });
});
