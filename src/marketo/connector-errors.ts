import { ConnectorError, configError, systemError, transientError } from '../protocol/errors.js';
import { ADVICE, MarketoError } from './errors.js';

/** Where a failed call belongs, so that the message names the stream and the object. */
export interface ErrorContext {
  stream?: string;
  object?: string;
}

/** Turns a Marketo failure into the Airbyte failure type its kind calls for, with a message a user can act on. */
export function toConnectorError(error: unknown, context: ErrorContext = {}): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (!(error instanceof MarketoError)) {
    return systemError(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const where = [context.stream && `stream "${context.stream}"`, context.object && `Marketo ${context.object}`]
    .filter(Boolean)
    .join(', ');
  const prefix = where ? `${where}: ` : '';
  const advice = error.code ? ADVICE[error.code] : undefined;
  const message = `${prefix}${error.message}${advice ? `. ${advice}` : ''}`;
  const options = { cause: error, internalMessage: error.machineCode };
  switch (error.kind) {
    case 'config':
      return configError(message, options);
    case 'quota':
      return transientError(
        `${prefix}Marketo's daily API quota is used up (607). It resets at midnight US Central time (America/Chicago); states of data already imported were echoed, so the next sync resumes from there.`,
        options,
      );
    case 'retry':
    case 'throttle':
    case 'refresh':
    case 'queue_full':
      return transientError(message, options);
    default:
      return systemError(message, options);
  }
}
