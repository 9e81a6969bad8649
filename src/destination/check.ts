import { parseConfig, baseUrlOf, unknownKeysWarning } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { InvalidCredentialsError, MarketoError } from '../marketo/errors.js';
import type { CheckResult, RunContext } from '../protocol/destination.js';
import { ConnectorError } from '../protocol/errors.js';
import { probeStorage } from '../rejects/open.js';
import { StorageError } from '../rejects/storage-target.js';
import { MappingValidator } from './preflight.js';
import { openSession } from './session.js';
import { describeStream, targetOf } from './streams.js';

const failed = (message: string): CheckResult => ({ status: 'FAILED', message });

/**
 * Proves the credentials, API access and every stream mapping. Problems the user can fix are FAILED with a
 * message that says what to do; only a connector bug escapes as an error (a TRACE).
 */
export async function checkConnection(raw: unknown, ctx: RunContext): Promise<CheckResult> {
  const unknown = unknownKeysWarning(raw);
  if (unknown) ctx.out.log('WARN', unknown);
  const result = await checkParsed(raw, ctx);
  // The unknown keys go in the message too, SUCCEEDED or FAILED: it is what the person running check reads.
  if (!unknown) return result;
  return { ...result, message: result.message === undefined ? unknown : `${result.message}\n${unknown}` };
}

async function checkParsed(raw: unknown, ctx: RunContext): Promise<CheckResult> {
  let config: Config;
  try {
    config = parseConfig(raw);
  } catch (error) {
    if (error instanceof ConnectorError) return failed(error.message);
    throw error;
  }
  // A check should answer in seconds, not retry for minutes.
  const session = openSession(config, ctx, 2);
  const baseUrl = baseUrlOf(config);
  try {
    try {
      await session.client.authenticate();
      await session.describe.leads();
    } catch (error) {
      return failed(accessProblem(error, baseUrl));
    }
    const validator = new MappingValidator(session.describe);
    const problems: string[] = [];
    for (const mapping of config.stream_mappings) {
      const label = `stream_mappings "${describeStream({ name: mapping.stream, namespace: mapping.namespace })}"`;
      try {
        const verdict = await validator.check({ label, target: targetOf(mapping.object), deletionOnly: mapping.action === 'delete' });
        problems.push(...verdict.problems.map((p) => `${label}: ${p}`));
      } catch (error) {
        if (!(error instanceof MarketoError)) throw error;
        problems.push(`${label}: ${accessProblem(error, baseUrl)}`);
      }
    }
    const storage = await storageProblem(config);
    if (problems.length > 0) return failed(`${problems.length} problem(s) with the stream mappings:\n- ${problems.join('\n- ')}${storage ? `\n${storage}` : ''}`);
    return storage ? failed(storage) : { status: 'SUCCEEDED' };
  } finally {
    await session.client.close();
  }
}

/** Rejected records must be storable before a sync can count on it: a probe object is written and deleted. */
async function storageProblem(config: Config): Promise<string | undefined> {
  try {
    await probeStorage(config.object_storage_config);
    return undefined;
  } catch (error) {
    if (error instanceof StorageError) return `object_storage_config: ${error.message}`;
    throw error;
  }
}

/** Three different causes, three different things to do. */
function accessProblem(error: unknown, baseUrl: string): string {
  if (error instanceof InvalidCredentialsError) return error.message;
  if (error instanceof MarketoError) {
    if (error.code === '603') {
      return 'Marketo denied access (603): give the API-only user a role with Read-Write Lead (and Read-Write Custom Object / Read-Only Assets as needed), and check the instance’s IP allowlist for this host.';
    }
    if (error.kind === 'retry' && error.code === undefined && error.httpStatus === undefined) {
      return `Cannot reach Marketo at ${baseUrl} (${error.message}). Check munchkin_id or base_url, DNS and outbound HTTPS access.`;
    }
    return `Marketo answered with an error: ${error.message}`;
  }
  throw error;
}
