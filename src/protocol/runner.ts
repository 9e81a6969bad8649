/**
 * Runs a Destination as an Airbyte connector process: parses argv, loads the files, builds the
 * redactor, turns every failure into a TRACE or a FAILED status, handles signals, and returns
 * the exit code only once stdout has been flushed.
 */
import { z } from 'zod';
import { parseArgs, usage, UsageError, type CliArgs, type Command } from './cli-args.js';
import type { Destination, RunContext } from './destination.js';
import { ConnectorError, systemError } from './errors.js';
import { watchFatalErrors } from './fatal-errors.js';
import { readCatalog, readJsonFile } from './files.js';
import { readLineChunks } from './line-chunks.js';
import { AirbyteConnectionStatus, ConnectorSpecification, DestinationCatalog } from './messages.js';
import { redactPaths, Redactor, secretPaths, secretValues } from './redact.js';
import { redactingStream } from './redacting-stream.js';
import { ShutdownSignals } from './shutdown.js';
import { untilAborted } from './until-aborted.js';
import { MessageWriter } from './writer.js';

/** Exit code when stdout is closed under a running command: a failure, but not one a TRACE can report. */
export const STDOUT_CLOSED_EXIT_CODE = 1;

export interface RunOptions {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Source of SIGTERM/SIGINT and uncaughtException/unhandledRejection events; `process` by default. */
  events?: NodeJS.EventEmitter;
  /** How long a command may take to wind down after a signal before the runner gives up on it (9 s). */
  shutdownGraceMs?: number;
}

/** Runs one command; `argv` excludes the node and script paths. Resolves with the exit code. */
export async function runDestination(destination: Destination, argv: string[], io: RunOptions = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr;
  const events = io.events ?? process;
  const commands: Command[] = ['spec', 'check', ...(destination.discover ? ['discover' as const] : []), 'write'];
  let args: CliArgs;
  try {
    args = parseArgs(argv, commands);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`${error.message}\n\n${usage(commands)}\n`);
    return 2;
  }
  if (args.command === 'help') {
    // Asked for, so it is the answer: on stdout, with success (no Airbyte message is involved).
    const stdout = io.stdout ?? process.stdout;
    await new Promise<void>((resolve) => stdout.write(`${usage(commands)}\n`, () => resolve()));
    return 0;
  }

  const redactor = new Redactor();
  const out = new MessageWriter(io.stdout ?? process.stdout, redactor, { debug: args.debug });
  const controller = new AbortController();
  const ctx: RunContext = {
    out,
    redactor,
    signal: controller.signal,
    stderr: redactingStream(stderr, redactor),
    debug: args.debug,
  };
  const shutdown = new ShutdownSignals(events, controller, io.shutdownGraceMs);
  // Nobody reads stdout any more (EPIPE, e.g. `| head`): nothing the command does can reach the platform, so it stops.
  let stdoutClosed = false;
  void out.broken.then(() => {
    stdoutClosed = true;
    shutdown.stop('stdout was closed', STDOUT_CLOSED_EXIT_CODE);
  });
  const fatal = watchFatalErrors(events);
  let code: number;
  try {
    const running = runCommand(destination, args, ctx, io.stdin ?? process.stdin);
    const finished = await Promise.race([running.then(() => true), shutdown.expired.then(() => false), fatal.caught]);
    if (shutdown.signalName !== undefined) {
      const outcome = finished ? 'stopped' : 'did not stop in time; exiting anyway';
      out.log(finished ? 'INFO' : 'WARN', `Received ${shutdown.signalName}: ${args.command} ${outcome}.`);
    }
    code = shutdown.exitCode ?? 0;
  } catch (error) {
    // After a signal, the destination giving up with the abort reason is the expected way out.
    if (shutdown.exitCode === undefined || !isAbortError(error, controller.signal)) out.traceError(error);
    controller.abort(error);
    code = shutdown.exitCode ?? 1;
  } finally {
    fatal.dispose();
  }
  // A reader that stopped reading stdout must not keep a signalled process alive past its deadline.
  await Promise.race([out.flush(), shutdown.expired]);
  shutdown.dispose();
  if (stdoutClosed) {
    // A TRACE cannot be written any more; stderr is the only way left to say why.
    ctx.stderr.write(
      `stdout was closed (EPIPE) during ${args.command}; no message, state or error can reach the platform any more, so ${args.command} stopped (exit code ${code}).\n`,
    );
  }
  return code;
}

async function runCommand(destination: Destination, args: CliArgs, ctx: RunContext, stdin: NodeJS.ReadableStream) {
  const spec = validOutput(ConnectorSpecification, destination.spec(), 'spec()');
  switch (args.command) {
    case 'spec':
      await ctx.out.emit({ type: 'SPEC', spec });
      return;
    case 'check':
      await ctx.out.emit({ type: 'CONNECTION_STATUS', connectionStatus: await check(destination, spec, args.config, ctx) });
      return;
    case 'discover': {
      const config = await loadConfig(spec, args.config, ctx);
      const catalog = validOutput(DestinationCatalog, await destination.discover?.(config, ctx), 'discover()');
      await ctx.out.emit({ type: 'DESTINATION_CATALOG', destination_catalog: catalog });
      return;
    }
    case 'write': {
      const config = await loadConfig(spec, args.config, ctx);
      const catalog = await readCatalog(args.catalog);
      await destination.write(config, catalog, untilAborted(readLineChunks(stdin), ctx.signal), ctx);
      return;
    }
  }
}

/** A config problem, thrown or returned, is a FAILED status; anything else propagates to a TRACE. */
async function check(destination: Destination, spec: ConnectorSpecification, configPath: string, ctx: RunContext) {
  let result: unknown;
  try {
    result = await destination.check(await loadConfig(spec, configPath, ctx), ctx);
  } catch (error) {
    if (!(error instanceof ConnectorError && error.failureType === 'config_error')) throw error;
    result = { status: 'FAILED', message: error.message };
  }
  return validOutput(AirbyteConnectionStatus, result, 'check()');
}

function isAbortError(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}

/** Reads the config and, before anything can print it, teaches the redactor its secrets. */
async function loadConfig(spec: ConnectorSpecification, path: string, ctx: RunContext): Promise<unknown> {
  const config = await readJsonFile(path, 'config');
  const paths = secretPaths(spec.connectionSpecification);
  for (const secret of secretValues(config, paths)) ctx.redactor.add(secret);
  if (ctx.debug) ctx.out.log('DEBUG', `Config: ${JSON.stringify(redactPaths(config, paths))}`);
  return config;
}

/** What the destination returns must itself be valid protocol; if not, that is a connector bug. */
function validOutput<T extends z.ZodType>(schema: T, value: unknown, producer: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw systemError(`The destination's ${producer} returned an invalid result.`, {
      internalMessage: z.prettifyError(parsed.error),
    });
  }
  return parsed.data;
}

/** The process entry point: real argv, stdio and signals; exits with the code once stdout is flushed. */
export function main(destination: Destination): void {
  runDestination(destination, process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      // Only a bug in the runner itself lands here, before any secret is loaded.
      process.stderr.write(`The connector runner failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
