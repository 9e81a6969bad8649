/**
 * Ends an async iteration as soon as a signal aborts, even while the source is waiting: stdin that stays open but
 * idle would otherwise hold a stopping sync until the platform kills it.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let waiting = false;
  try {
    while (!signal.aborted) {
      const next = iterator.next();
      const result = await nextOrAborted(next, signal);
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
    // A source waiting on its input cannot run its `finally` until that input comes, so it is not waited for.
    const closing = iterator.return?.();
    if (waiting) closing?.catch(() => undefined);
    else await closing;
  }
}

/**
 * `next`, or 'aborted' if the signal comes first. A listener per call, removed once `next` settles: racing every call
 * against one promise that never settles (Promise.race) would keep a reaction, and with it every chunk, per call.
 */
function nextOrAborted<T>(next: Promise<IteratorResult<T>>, signal: AbortSignal): Promise<IteratorResult<T> | 'aborted'> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    next.then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
