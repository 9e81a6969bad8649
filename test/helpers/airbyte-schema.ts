/**
 * Validates connector output against the protocol itself: the `AirbyteMessage` definition of
 * airbyte_protocol.yaml (ajv, draft-07), plus the discriminator checks the YAML cannot express
 * (a TRACE must carry `trace`, a TRACE ERROR must carry `error`, and so on).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { AirbyteMessage } from '../../src/protocol/messages.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const protocolYamlPath = path.resolve(repoRoot, '../shared/reference/airbyte_protocol.yaml');

const protocol = parseYaml(readFileSync(protocolYamlPath, 'utf8')) as { definitions: Record<string, unknown> };

// The YAML uses the non-standard keyword `existingJavaType` (hence strict: false) and `format: uri`.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat('uri', (value: string) => URL.canParse(value));
const validateAirbyteMessage = ajv.compile({ $ref: '#/definitions/AirbyteMessage', definitions: protocol.definitions });

const PAYLOAD_FIELD: Record<string, string> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  TRACE: 'trace',
  CONTROL: 'control',
  DESTINATION_CATALOG: 'destination_catalog',
};

const TRACE_PAYLOAD_FIELD: Record<string, string> = {
  ERROR: 'error',
  ESTIMATE: 'estimate',
  STREAM_STATUS: 'stream_status',
  ANALYTICS: 'analytics',
};

const STATE_PAYLOAD_FIELD: Record<string, string> = { STREAM: 'stream', GLOBAL: 'global', LEGACY: 'data' };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function discriminatorProblems(message: Json): string[] {
  const problems: string[] = [];
  const type = String(message.type);
  const field = PAYLOAD_FIELD[type] ?? '';
  if (!isObject(message[field])) problems.push(`type ${type} needs an object "${field}"`);
  for (const other of Object.values(PAYLOAD_FIELD)) {
    if (other !== field && other in message) problems.push(`type ${type} must not carry "${other}"`);
  }
  const payload = message[field];
  if (type === 'TRACE' && isObject(payload)) {
    const traceField = TRACE_PAYLOAD_FIELD[String(payload.type)] ?? '';
    if (!isObject(payload[traceField])) problems.push(`TRACE ${String(payload.type)} needs an object "${traceField}"`);
  }
  if (type === 'STATE' && isObject(payload)) {
    const stateType = typeof payload.type === 'string' ? payload.type : 'LEGACY'; // "If not set, assume LEGACY"
    const stateField = STATE_PAYLOAD_FIELD[stateType] ?? '';
    if (!isObject(payload[stateField])) problems.push(`STATE ${stateType} needs an object "${stateField}"`);
  }
  return problems;
}

/** Throws, naming every problem, unless `obj` is a valid AirbyteMessage with a matching payload. */
export function assertValidAirbyteMessage(obj: unknown): asserts obj is AirbyteMessage {
  const problems: string[] = [];
  if (!validateAirbyteMessage(obj)) {
    problems.push(...(validateAirbyteMessage.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
  } else if (isObject(obj)) {
    problems.push(...discriminatorProblems(obj));
  }
  if (problems.length > 0) {
    throw new Error(`Invalid AirbyteMessage ${JSON.stringify(obj)}:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses a connector's stdout: every line must be one JSON AirbyteMessage and every line must end
 * with '\n'. Empty output is no messages.
 */
export function parseStdoutLines(stdout: string): AirbyteMessage[] {
  if (stdout === '') return [];
  if (!stdout.endsWith('\n')) throw new Error(`stdout does not end with a newline: ${JSON.stringify(stdout.slice(-200))}`);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        throw new Error(`stdout line ${index + 1} is not JSON: ${JSON.stringify(line.slice(0, 200))}`);
      }
      try {
        assertValidAirbyteMessage(message);
      } catch (error) {
        throw new Error(`stdout line ${index + 1}: ${(error as Error).message}`);
      }
      return message;
    });
}
