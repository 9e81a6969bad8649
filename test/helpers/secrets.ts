/**
 * A secret as it can leave the process (the identity call's form body) and come back in an answer that quotes it:
 * as is, JSON-escaped (with non-ASCII as \uXXXX too, either case), URL-encoded and form-encoded (either case of hex),
 * and nested: a form body or a JSON string inside a JSON string.
 */
export function encodingsOf(secret: string): Record<string, string> {
  const json = JSON.stringify(secret).slice(1, -1);
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  return {
    raw: secret,
    json,
    'json, \\u escapes upper case': asciiJson.replace(/\\u[0-9a-f]{4}/g, (escape) => `\\u${escape.slice(2).toUpperCase()}`),
    'json, \\u escapes lower case, / escaped': asciiJson.replace(/\//g, '\\/'),
    'json inside json': JSON.stringify(json).slice(1, -1),
    encodeURIComponent: encodeURIComponent(secret),
    'encodeURIComponent, lower-case hex': lowerHex(encodeURIComponent(secret)),
    'form (URLSearchParams)': form,
    'form, lower-case hex': lowerHex(form),
    'form inside json': JSON.stringify(form).slice(1, -1),
    'every byte but letters and digits percent-encoded': [...Buffer.from(secret)]
      .map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`))
      .join(''),
    html: secret.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  };
}

/** Each encoding of each secret found in `output`. */
export function leaksOf(output: string, secrets: string[]): string[] {
  return secrets.flatMap((secret) =>
    Object.entries(encodingsOf(secret))
      .filter(([, form]) => output.includes(form))
      .map(([name, form]) => `leaked ${form} (${name})`),
  );
}
