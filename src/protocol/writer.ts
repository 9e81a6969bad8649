/**
 * The only way anything reaches stdout: one JSON AirbyteMessage per line, every line passed
 * through the Redactor, with the stream's back-pressure handed back to the caller. Messages are
 * typed with the zod protocol schemas, so what the connector prints is what those schemas accept.
 */
import type { FailureType } from './errors.js';
import type { AirbyteMessage, LogLevel } from './messages.js';
import type { Redactor } from './redact.js';
import { errorTraceMessage } from './trace.js';

export interface MessageWriterOptions {
  /** Emit DEBUG and TRACE level logs (the `--debug` flag). */
  debug?: boolean;
}

const VERBOSE_LEVELS: ReadonlySet<LogLevel> = new Set(['DEBUG', 'TRACE']);

export class MessageWriter {
  readonly debug: boolean;
  /** Resolves once stdout has failed (EPIPE: its reader is gone); nothing written after that reaches anyone. */
  readonly broken: Promise<void>;
  #onBroken!: () => void;
  #unfinished = 0; // writes whose callback has not run yet
  #idleWaiters: Array<() => void> = [];
  #drain: Promise<void> | undefined;
  #broken = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly redactor: Redactor,
    options: MessageWriterOptions = {},
  ) {
    this.debug = options.debug ?? false;
    this.broken = new Promise((resolve) => (this.#onBroken = resolve));
    // A closed stdout (EPIPE) must not crash the process: nobody is left to read, so stop writing.
    out.on('error', () => this.#break());
  }

  /** Writes one message as one line. Returns a promise only when the stream asks to wait for 'drain'. */
  emit(message: AirbyteMessage): Promise<void> | undefined {
    if (this.#broken) return undefined;
    const line = `${this.redactor.redact(JSON.stringify(message))}\n`;
    this.#unfinished++;
    if (this.out.write(line, this.#onWritten)) return undefined;
    this.#drain ??= new Promise<void>((resolve) => {
      // A stream that fails or closes will never drain: stop waiting then too.
      const events = ['drain', 'close', 'error'] as const;
      const done = (): void => {
        for (const event of events) this.out.removeListener(event, done);
        this.#drain = undefined;
        resolve();
      };
      for (const event of events) this.out.on(event, done);
    });
    return this.#drain;
  }

  log(level: LogLevel, message: string, stackTrace?: string): void {
    if (!this.debug && VERBOSE_LEVELS.has(level)) return;
    void this.emit({ type: 'LOG', log: { level, message, ...(stackTrace === undefined ? {} : { stack_trace: stackTrace }) } });
  }

  traceError(error: unknown, failureType?: FailureType): void {
    void this.emit(errorTraceMessage(error, failureType));
  }

  /** Resolves once every line written so far has been handed to the OS (or the stream has failed). */
  flush(): Promise<void> {
    if (this.#unfinished === 0 || this.#broken) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  readonly #onWritten = (error?: Error | null): void => {
    this.#unfinished--;
    if (error) this.#break();
    else if (this.#unfinished === 0) this.#settle();
  };

  #break(): void {
    this.#broken = true;
    this.#onBroken();
    this.#settle();
  }

  #settle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
