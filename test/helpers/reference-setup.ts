// vitest globalSetup: runs once per run, in the main process, so the reason for skipping is printed once.
import { referenceSkipReason } from './reference.js';

export default function setup(): void {
  if (referenceSkipReason) console.warn(`\n${referenceSkipReason}\n`);
}
