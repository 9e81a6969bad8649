import type { Config } from '../config/schema.js';
import { baseUrlOf } from '../config/load.js';
import { BulkImportApi } from '../marketo/bulk-import.js';
import { MarketoClient } from '../marketo/client.js';
import { DeleteApi } from '../marketo/deletes.js';
import { DescribeApi } from '../marketo/describe.js';
import type { RunContext } from '../protocol/destination.js';

/** The Marketo APIs for one run, wired to the run's redactor (every token is hidden) and its abort signal. */
export interface MarketoSession {
  client: MarketoClient;
  bulk: BulkImportApi;
  describe: DescribeApi;
  deletes: DeleteApi;
}

/** `maxAttempts` overrides retry.max_attempts: check and discover answer a person waiting, and retry less. */
export function openSession(config: Config, ctx: RunContext, maxAttempts = config.retry.max_attempts): MarketoSession {
  const client = new MarketoClient({
    baseUrl: baseUrlOf(config),
    clientId: config.client_id,
    clientSecret: config.client_secret,
    callsPer20Seconds: config.rate_limit.calls_per_20_seconds,
    maxConcurrentCalls: config.rate_limit.max_concurrent_calls,
    maxAttempts,
    initialBackoffMs: config.retry.initial_backoff_seconds * 1000,
    maxBackoffMs: config.retry.max_backoff_seconds * 1000,
    requestTimeoutMs: config.retry.request_timeout_seconds * 1000,
    onToken: (token) => ctx.redactor.add(token),
    onRetry: (error, attempt, delayMs) =>
      ctx.out.log('WARN', `${error.message}; attempt ${attempt} failed, retrying in ${(delayMs / 1000).toFixed(1)} s`),
    signal: ctx.signal,
  });
  return { client, bulk: new BulkImportApi(client), describe: new DescribeApi(client), deletes: new DeleteApi(client) };
}
