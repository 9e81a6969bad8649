/**
 * Ends an async iteration as soon as a signal aborts, even while the source is waiting: stdin that stays open but
 * idle would otherwise hold a stopping sync until the platform kills it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort!: () => void;
  const aborted = new Promise<'aborted'>((resolve) => (onAbort = () => resolve('aborted')));
  signal.addEventListener('abort', onAbort, { once: true });
  let waiting = false;
  try {
    while (!signal.aborted) {
      const next = iterator.next();
      const result = await Promise.race([next, aborted]);
      if (result === 'aborted') {
        // The source is still waiting; whatever it ends with later (an error of stdin, say) interests nobody.
        next.catch(() => undefined);
        waiting = true;
        return;
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // A source waiting on its input cannot run its `finally` until that input comes, so it is not waited for.
    const closing = iterator.return?.();
    if (waiting) closing?.catch(() => undefined);
    else await closing;
  }
}
