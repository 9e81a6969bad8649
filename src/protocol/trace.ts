/**
 * Presents an error as an Airbyte TRACE ERROR message: the user-facing `message` from a
 * ConnectorError, everything else (internal message, cause chain, stack) in the other fields.
 */
import { inspect } from 'node:util';
import { ConnectorError, type FailureType } from './errors.js';
import type { AirbyteMessage } from './messages.js';

const UNKNOWN_ERROR_PREFIX = 'Something went wrong in the connector: ';

export function errorTraceMessage(error: unknown, failureType?: FailureType, now: number = Date.now()): AirbyteMessage {
  const known = error instanceof ConnectorError ? error : undefined;
  const stackTrace = describeStack(error);
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: now,
      error: {
        message: known ? known.message : UNKNOWN_ERROR_PREFIX + messageOf(error),
        internal_message: known?.internalMessage ?? messageOf(known ? known.cause ?? error : error),
        ...(stackTrace === undefined ? {} : { stack_trace: stackTrace }),
        failure_type: failureType ?? known?.failureType ?? 'system_error',
        ...(known?.streamDescriptor ? { stream_descriptor: known.streamDescriptor } : {}),
      },
    },
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : inspect(error, { depth: 3, breakLength: Infinity });
}

/** The stack, followed by the stack of each cause, as the JVM prints them. */
function describeStack(error: unknown): string | undefined {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = current.cause) {
    seen.add(current);
    parts.push((parts.length === 0 ? '' : 'Caused by: ') + (current.stack ?? `${current.name}: ${current.message}`));
  }
  return parts.length === 0 ? undefined : parts.join('\n');
}
