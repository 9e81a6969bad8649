/**
 * Validates connector output with the project's own zod `AirbyteMessage` schema (src/protocol/messages.ts), which
 * is stricter than airbyte_protocol.yaml where the YAML cannot express the rule (a TRACE ERROR must carry `error`,
 * a STREAM state its `stream`, ...). test/protocol/protocol-yaml.test.ts checks that schema against the YAML.
 */
import { z } from 'zod';
import { AirbyteMessage } from '../../src/protocol/messages.js';

/** Throws, naming every problem, unless `obj` is a valid AirbyteMessage with a matching payload. */
export function assertValidAirbyteMessage(obj: unknown): asserts obj is AirbyteMessage {
  const parsed = AirbyteMessage.safeParse(obj);
  if (!parsed.success) {
    throw new Error(`Invalid AirbyteMessage ${JSON.stringify(obj)}:\n${z.prettifyError(parsed.error)}`);
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
