/**
 * Turns what would otherwise end the process behind the runner's back into a rejection it can
 * report as a TRACE: uncaught exceptions, unhandled rejections, and 'beforeExit' (the event loop
 * ran dry while the command was still pending, which Node would end as a silent exit 0).
 */
import { systemError } from './errors.js';

export interface FatalErrorWatch {
  /** Rejects with the first fatal error; never resolves. */
  readonly caught: Promise<never>;
  dispose(): void;
}

export function watchFatalErrors(events: NodeJS.EventEmitter): FatalErrorWatch {
  let fail!: (error: unknown) => void;
  const caught = new Promise<never>((_, reject) => (fail = reject));
  caught.catch(() => undefined); // observed through `caught`; never itself an unhandled rejection
  const listeners = {
    uncaughtException: (error: unknown) => fail(error),
    unhandledRejection: (error: unknown) => fail(error),
    beforeExit: () =>
      fail(systemError('The connector stopped before finishing: it was waiting for something that can never happen.')),
  };
  const entries = Object.entries(listeners);
  for (const [event, listener] of entries) events.on(event, listener);
  return {
    caught,
    dispose: () => {
      for (const [event, listener] of entries) events.removeListener(event, listener);
    },
  };
}
