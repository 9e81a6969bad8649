import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { FormData, request, Response } from 'undici';
import { expect, test } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { hasReference, referencePath } from '../helpers/reference.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A clock the test moves by hand, so job timing is deterministic. */
export class ManualClock {
  constructor(public time = Date.UTC(2026, 0, 5, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, when it is JSON. */
  json: unknown;
}

type Item = Record<string, unknown>;

/** The first `result` item of a success envelope. */
export function resultOf(res: Answer): Item {
  const result = (res.json as { result?: Item[] } | undefined)?.result?.[0];
  if (!result) throw new Error(`No result in ${res.text}`);
  return result;
}

/** The code of a `success:false` envelope, if that is what came back. */
export function errorCode(res: Answer): string | undefined {
  return (res.json as { errors?: { code: string }[] } | undefined)?.errors?.[0]?.code;
}

async function answer(res: Awaited<ReturnType<typeof request>>): Promise<Answer> {
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** A started emulator and a token for it: the setup of most emulator tests. */
export async function openEmulator(options?: EmulatorOptions): Promise<{ emulator: Emulator; token: string }> {
  const emulator = await startEmulator(options);
  return { emulator, token: await getToken(emulator) };
}

export async function getToken(emulator: Emulator): Promise<string> {
  const res = await call(emulator, '/identity/oauth/token?grant_type=client_credentials&client_id=emulator-client-id&client_secret=emulator-client-secret');
  const token = (res.json as { access_token?: string }).access_token;
  if (!token) throw new Error(`No token: ${res.text}`);
  return token;
}

/** A plain API call; `token` goes in the Authorization header. */
export async function call(
  emulator: Emulator,
  pathAndQuery: string,
  init: { method?: 'GET' | 'POST' | 'DELETE'; token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return answer(await request(`${emulator.url}${pathAndQuery}`, { method: init.method ?? 'GET', headers, body: init.body }));
}

/** A multipart import: the CSV as the `file` part, other form fields as given. */
export async function upload(
  emulator: Emulator,
  pathAndQuery: string,
  options: { token?: string; csv: string; fields?: Record<string, string>; filename?: string },
): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.set(name, value);
  form.set('file', new Blob([options.csv], { type: 'text/csv' }), options.filename ?? 'rows.csv');
  const encoded = new Response(form);
  const headers: Record<string, string> = { 'content-type': encoded.headers.get('content-type') ?? '' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = Buffer.from(await encoded.arrayBuffer());
  return answer(await request(`${emulator.url}${pathAndQuery}`, { method: 'POST', headers, body }));
}

type Swagger = { paths: Record<string, Record<string, { responses: Record<string, { schema?: { $ref?: string } }> }>>; definitions: object };
type SwaggerFile = 'mapi' | 'identity';
const SWAGGER_FILES: Record<SwaggerFile, string> = { mapi: 'marketo-mapi.swagger.json', identity: 'marketo-identity.swagger.json' };

let loaded: { ajv: Ajv; swaggers: Record<SwaggerFile, Swagger> } | undefined;
/** Swagger 2.0 definitions are JSON schema, so each official file's definitions become one ajv schema (read once). */
function swaggerAjv(): { ajv: Ajv; swaggers: Record<SwaggerFile, Swagger> } {
  if (loaded) return loaded;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const swaggers = {} as Record<SwaggerFile, Swagger>;
  for (const [name, file] of Object.entries(SWAGGER_FILES) as [SwaggerFile, string][]) {
    swaggers[name] = JSON.parse(readFileSync(referencePath('reference', file), 'utf8')) as Swagger;
    ajv.addSchema({ definitions: swaggers[name].definitions }, name);
  }
  return (loaded = { ajv, swaggers });
}

/** The validator of an operation's 200 response, straight from the official Swagger file (needs the reference folder). */
export function responseSchema(file: SwaggerFile, method: 'get' | 'post', pathTemplate: string): ValidateFunction {
  const { ajv, swaggers } = swaggerAjv();
  const ref = swaggers[file].paths[pathTemplate]?.[method]?.responses['200']?.schema?.$ref;
  if (!ref) throw new Error(`No 200 schema for ${method.toUpperCase()} ${pathTemplate} in ${file}`);
  const validate = ajv.getSchema(`${file}${ref}`);
  if (!validate) throw new Error(`Cannot resolve ${ref} in ${file}`);
  return validate;
}

/** Fails with ajv's explanation when `body` does not match. */
export function expectValid(validate: ValidateFunction, body: unknown): void {
  if (!validate(body)) throw new Error(`Response does not match the Swagger schema: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
}

/**
 * Conformance with Marketo's official Swagger files. The tests hand every answer they get to a checker; the
 * answers are collected and `test()` registers, as the file's last test, their validation, which is skipped where the
 * reference folder is missing. So the emulator's behaviour is tested anywhere, its conformance where the files are.
 */
export function swaggerConformance() {
  const answers: { operation: [SwaggerFile, 'get' | 'post', string]; body: unknown; test: string }[] = [];
  return {
    /** A checker for the answers of one operation. */
    operation(file: SwaggerFile, method: 'get' | 'post', pathTemplate: string): (body: unknown) => void {
      return (body) => answers.push({ operation: [file, method, pathTemplate], body, test: expect.getState().currentTestName ?? '' });
    },
    test(): void {
      test.skipIf(!hasReference)('every answer checked matches the official Swagger schema of its operation', () => {
        expect(answers.length).toBeGreaterThan(0);
        for (const { operation, body, test: name } of answers) {
          expect(() => expectValid(responseSchema(...operation), body), `${name}: ${operation.join(' ')}`).not.toThrow();
        }
      });
    },
  };
}

/** Resolves once `predicate` holds, checking on every event-loop turn; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
