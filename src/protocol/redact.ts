/**
 * Keeps secrets off stdout and stderr. Two complementary nets: by path (the spec's
 * `airbyte_secret` fields, used to echo a config safely) and by value (every string the writer
 * emits is scrubbed of known secret values, including tokens learnt at run time).
 */

export const REDACTED = '**********';

/** Path segment matching every array element or object property. */
export const ANY = '*';

// Shorter values would redact ordinary words and digits all over the output.
const MIN_SECRET_LENGTH = 4;

export class Redactor {
  /** Each secret, with the pattern that finds it in any of its encodings. */
  readonly #secrets = new Map<string, string>();
  #pattern: RegExp | undefined;

  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.set(secret, encodedPattern(secret));
    this.#pattern = undefined;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#pattern ??= buildPattern(this.#secrets);
    return text.replace(this.#pattern, REDACTED);
  }
}

function buildPattern(secrets: Map<string, string>): RegExp {
  // Longest first, so that a secret containing another is replaced whole.
  const alternatives = [...secrets].sort(([a], [b]) => b.length - a.length).map(([, pattern]) => pattern);
  return new RegExp(alternatives.join('|'), 'g');
}

const ALPHANUMERIC = /^[A-Za-z0-9]$/;
const JSON_SHORT_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };
const HTML_ENTITIES: Record<string, string[]> = { '&': ['&amp;'], '<': ['&lt;'], '>': ['&gt;'], '"': ['&quot;'], "'": ['&#39;', '&#x27;'] };

/**
 * A pattern for a secret as it may come back in any output: a gateway may echo the identity call's form body, which
 * quotes it in form encoding, and a message may quote it JSON-escaped, even twice (a JSON answer inside a JSON log
 * line), or HTML-escaped. Every character other than a letter or digit is matched as itself or as any of its escapes
 * (which covers encodeURIComponent, URLSearchParams and every mix of them, whatever the case of the hex digits):
 * its UTF-8 bytes percent-encoded, `+` for a space, JSON's `\"`-style and `\uXXXX` escapes behind any number of
 * backslashes, and the HTML entities of `&<>"'`.
 *
 * A quoted answer may also be cut short (MarketoError keeps 200 characters of a body, then `…`): any beginning of the
 * secret, even one ending inside an escape, is matched when the truncation mark follows it.
 */
function encodedPattern(secret: string): string {
  const units = [...secret].map(charPattern);
  const beginning = units.reduceRight((rest, unit) => `${unit}(?:${rest}|${PARTIAL_ESCAPE})?`);
  return `${units.join('')}|${beginning}(?=${TRUNCATION_MARK})`;
}

const TRUNCATION_MARK = '\u2026';
/**
 * What a cut can leave of the escapes of one character (several for a character of several UTF-8 bytes or UTF-16
 * units). Each piece starts with its own character, so that the pattern never backtracks much.
 */
const PARTIAL_ESCAPE = '(?:%[0-9A-Fa-f]{0,2}|\\\\(?:u[0-9A-Fa-f]{0,4})?|&#?[0-9A-Za-z]{0,5}|[\\uD800-\\uDBFF]){1,12}';

function charPattern(char: string): string {
  if (ALPHANUMERIC.test(char)) return char;
  const forms = [escapeRegExp(char), [...Buffer.from(char, 'utf8')].map((byte) => `%${hexDigits(byte, 2)}`).join('')];
  let unicodeEscape = '';
  for (let i = 0; i < char.length; i++) unicodeEscape += `\\\\+u${hexDigits(char.charCodeAt(i), 4)}`;
  forms.push(unicodeEscape);
  const short = JSON_SHORT_ESCAPES[char];
  if (short !== undefined) forms.push(`\\\\+${escapeRegExp(short)}`);
  if (char === ' ') forms.push('\\+');
  forms.push(...(HTML_ENTITIES[char] ?? []));
  return `(?:${forms.join('|')})`;
}

/** `n` in hex, each letter matching either case. */
function hexDigits(n: number, width: number): string {
  return n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

type JsonSchemaNode = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The config paths the spec marks `airbyte_secret: true`. Walks `properties`,
 * `additionalProperties` and `items` (as the `*` segment), `oneOf`/`anyOf`/`allOf`, and local `$ref`s.
 */
export function secretPaths(jsonSchema: unknown): string[][] {
  const found = new Map<string, string[]>();
  const visiting = new Set<unknown>();

  const visit = (node: unknown, path: string[]): void => {
    if (!isObject(node) || visiting.has(node)) return;
    if (node.airbyte_secret === true) {
      found.set(JSON.stringify(path), path);
      return;
    }
    visiting.add(node);
    if (typeof node.$ref === 'string') visit(resolveLocalRef(jsonSchema, node.$ref), path);
    if (isObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, [...path, key]);
    }
    visit(node.additionalProperties, [...path, ANY]);
    const items = node.items;
    for (const child of Array.isArray(items) ? items : [items]) visit(child, [...path, ANY]);
    for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
      const branches = node[keyword];
      if (Array.isArray(branches)) for (const branch of branches) visit(branch, path);
    }
    visiting.delete(node);
  };

  visit(jsonSchema, []);
  return [...found.values()];
}

function resolveLocalRef(root: unknown, ref: string): JsonSchemaNode | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return isObject(node) ? node : undefined;
}

/** The values found at `paths` in a config, as strings (every leaf, when a path ends on an object or array). */
export function secretValues(config: unknown, paths: string[][]): string[] {
  const values = new Set<string>();
  const collectLeaves = (value: unknown): void => {
    if (typeof value === 'string') values.add(value);
    else if (typeof value === 'number' || typeof value === 'bigint') values.add(String(value));
    else if (Array.isArray(value)) value.forEach(collectLeaves);
    else if (isObject(value)) Object.values(value).forEach(collectLeaves);
  };
  for (const path of paths) for (const value of valuesAt(config, path)) collectLeaves(value);
  return [...values];
}

function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (path.length === 0) return [value];
  const [head, ...rest] = path as [string, ...string[]];
  if (head === ANY && (Array.isArray(value) || isObject(value))) {
    return Object.values(value).flatMap((child) => valuesAt(child, rest));
  }
  if (isObject(value) && Object.hasOwn(value, head)) return valuesAt(value[head], rest);
  return [];
}

/** A copy of `config` with every value at `paths` replaced by the redaction mark, for echoing. */
export function redactPaths(config: unknown, paths: string[][]): unknown {
  return paths.reduce<unknown>((current, path) => replaceAt(current, path), config);
}

function replaceAt(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value === undefined || value === null ? value : REDACTED;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return head === ANY ? value.map((child) => replaceAt(child, rest)) : value;
  if (!isObject(value)) return value;
  if (head === ANY) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceAt(v, rest)]));
  return Object.hasOwn(value, head) ? { ...value, [head]: replaceAt(value[head], rest) } : value;
}
