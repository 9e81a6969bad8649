/** Turns uncaught exceptions and unhandled rejections into a rejection the runner can report. */

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

export interface FatalErrorWatch {
  /** Rejects with the first uncaught error; never resolves. */
  readonly caught: Promise<never>;
  dispose(): void;
}

export function watchFatalErrors(events: NodeJS.EventEmitter): FatalErrorWatch {
  let fail!: (error: unknown) => void;
  const caught = new Promise<never>((_, reject) => (fail = reject));
  caught.catch(() => undefined); // observed through `caught`; never itself an unhandled rejection
  const listener = (error: unknown): void => fail(error);
  for (const event of EVENTS) events.on(event, listener);
  return {
    caught,
    dispose: () => {
      for (const event of EVENTS) events.removeListener(event, listener);
    },
  };
}
