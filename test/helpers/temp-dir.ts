import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';

/** A fresh folder under the test run's temporary root (test/helpers/global-setup.ts), which is removed at the end. */
export function testTempDir(prefix = 'dmb-test-'): string {
  return mkdtempSync(path.join(inject('testTempRoot'), prefix));
}
