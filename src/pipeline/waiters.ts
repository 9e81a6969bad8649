/**
 * Promises that resolve once a condition holds, re-checked on `notify()`: how the writer waits for room in the
 * scheduler or the delete queue. A failure rejects every waiter; `stopped` (shutdown) resolves them.
 */
export class Waiters {
  private readonly checks = new Set<() => void>();

  constructor(private readonly state: { failure: () => unknown; stopped: () => boolean }) {}

  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const failure = this.state.failure();
        if (failure !== undefined) {
          this.checks.delete(check);
          reject(failure);
        } else if (this.state.stopped() || condition()) {
          this.checks.delete(check);
          resolve();
        }
      };
      this.checks.add(check);
      check();
    });
  }

  notify(): void {
    for (const check of [...this.checks]) check();
  }
}
