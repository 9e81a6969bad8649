/**
 * Errors a connector raises on purpose. The `message` is shown to the user as the TRACE error
 * message, so it must say what to do; details go in `internalMessage` and the `cause`.
 */

import type { StreamDescriptor } from './messages.js';

export type FailureType = 'config_error' | 'system_error' | 'transient_error';

export interface ConnectorErrorOptions {
  cause?: unknown;
  internalMessage?: string;
  streamDescriptor?: StreamDescriptor;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly internalMessage?: string;
  readonly streamDescriptor?: StreamDescriptor;

  constructor(
    message: string,
    readonly failureType: FailureType,
    options: ConnectorErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.internalMessage !== undefined) this.internalMessage = options.internalMessage;
    if (options.streamDescriptor !== undefined) this.streamDescriptor = options.streamDescriptor;
  }
}

export const configError = (message: string, options?: ConnectorErrorOptions): ConnectorError =>
  new ConnectorError(message, 'config_error', options);

export const systemError = (message: string, options?: ConnectorErrorOptions): ConnectorError =>
  new ConnectorError(message, 'system_error', options);

export const transientError = (message: string, options?: ConnectorErrorOptions): ConnectorError =>
  new ConnectorError(message, 'transient_error', options);
