/**
 * SIGTERM / SIGINT while writing: abort the destination's signal so it can wind down (stop
 * reading, echo committed states), and bound how long that may take.
 */

export const SIGNAL_EXIT_CODES = { SIGTERM: 143, SIGINT: 130 } as const;
type ShutdownSignal = keyof typeof SIGNAL_EXIT_CODES;

/** The platform kills the container ~10 s after SIGTERM; leave a second to exit cleanly. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 9_000;

export class ShutdownSignals {
  /** The exit code owed to the first signal received, if any. */
  exitCode: number | undefined;
  /** The signal's name, for messages. */
  signalName: ShutdownSignal | undefined;
  /** Resolves when the grace period after the first signal has run out (or at a second signal). */
  readonly expired: Promise<void>;

  #expire!: () => void;
  #timer: NodeJS.Timeout | undefined;
  readonly #listeners: Array<[ShutdownSignal, () => void]>;

  constructor(
    private readonly events: NodeJS.EventEmitter,
    private readonly controller: AbortController,
    private readonly graceMs: number = DEFAULT_SHUTDOWN_GRACE_MS,
  ) {
    this.expired = new Promise((resolve) => (this.#expire = resolve));
    this.#listeners = (Object.keys(SIGNAL_EXIT_CODES) as ShutdownSignal[]).map((name) => [name, () => this.#receive(name)]);
    for (const [name, listener] of this.#listeners) events.on(name, listener);
  }

  #receive(name: ShutdownSignal): void {
    if (this.exitCode !== undefined) {
      this.#expire(); // a second signal: the user insists, stop waiting
      return;
    }
    this.signalName = name;
    this.stop(`Received ${name}`, SIGNAL_EXIT_CODES[name]);
  }

  /** Stops the command for a reason other than a signal (stdout closed): the same abort, the same deadline. */
  stop(reason: string, exitCode: number): void {
    if (this.exitCode !== undefined) return;
    this.exitCode = exitCode;
    this.#timer = setTimeout(() => this.#expire(), this.graceMs);
    this.controller.abort(new DOMException(reason, 'AbortError'));
  }

  dispose(): void {
    clearTimeout(this.#timer);
    for (const [name, listener] of this.#listeners) this.events.removeListener(name, listener);
  }
}
