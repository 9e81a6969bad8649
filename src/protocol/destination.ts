/** What a destination implements; the runner owns everything around it (argv, stdio, exits). */
import type { ConfiguredAirbyteCatalog, DestinationCatalog } from './messages.js';
import type { LineChunk } from './line-chunks.js';
import type { Redactor } from './redact.js';
import type { MessageWriter } from './writer.js';

export interface RunContext {
  /** stdout, as Airbyte messages. */
  out: MessageWriter;
  /** Add every credential learnt at run time (access tokens) so it never reaches the output. */
  redactor: Redactor;
  /** Aborted on SIGTERM/SIGINT (during write) and on an uncaught error: stop reading, echo committed states, return. */
  signal: AbortSignal;
  /** stderr, with secrets redacted. */
  stderr: NodeJS.WritableStream;
  debug: boolean;
}

export interface CheckResult {
  status: 'SUCCEEDED' | 'FAILED';
  message?: string;
}

export interface Destination {
  /** A ConnectorSpecification; its `connectionSpecification` tells the runner which config fields are secret. */
  spec(): object;
  /** A config problem is a FAILED result or a thrown config_error ConnectorError; anything else is a TRACE. */
  check(config: unknown, ctx: RunContext): Promise<CheckResult>;
  /**
   * Consumes `input` (pulling is what applies back-pressure) and echoes states through `ctx.out`. The input comes as
   * chunks of whole lines, which `messagesOf` parses, so that a destination may parse them off the main thread.
   */
  write(
    config: unknown,
    catalog: ConfiguredAirbyteCatalog,
    input: AsyncIterable<LineChunk>,
    ctx: RunContext,
  ): Promise<void>;
  discover?(config: unknown, ctx: RunContext): Promise<DestinationCatalog>;
}
