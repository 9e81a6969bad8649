import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The one temporary folder of this test run; every test's temporary files go under it. */
    testTempRoot: string;
  }
}

/** Tests leave no temporary folders behind: theirs live under one root, removed when the run ends. */
export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'dmb-test-run-'));
  project.provide('testTempRoot', root);
  return () => rmSync(root, { recursive: true, force: true });
}
