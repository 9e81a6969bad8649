import { parseConfig } from '../config/load.js';
import { toConnectorError } from '../marketo/connector-errors.js';
import type { RunContext } from '../protocol/destination.js';
import { buildOperations, type Operation } from './activation.js';
import { openSession } from './session.js';

/**
 * `discover`: what this destination can write, from the describe endpoints. The platform runs it on every visit to
 * the mapping page, so it costs three calls (leads, custom objects with their fields, program members) plus one
 * describe per custom object only when the list does not carry the fields.
 */
export async function discoverOperations(raw: unknown, ctx: RunContext): Promise<{ operations: Operation[] }> {
  const config = parseConfig(raw, (message) => ctx.out.log('WARN', message));
  const session = openSession(config, ctx, 3);
  try {
    const [leads, customObjects, memberFields] = await Promise.all([
      session.describe.leads(),
      session.describe.customObjects(),
      session.describe.programMemberFields(),
    ]);
    return { operations: buildOperations(leads, customObjects, memberFields) };
  } catch (error) {
    throw toConnectorError(error);
  } finally {
    await session.client.close();
  }
}
