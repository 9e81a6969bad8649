/**
 * Where the official references live (the Airbyte protocol YAML, Marketo's Swagger files, the Meltano target-test
 * streams): `MARKETO_BULK_REFERENCE_DIR`, else `../shared`, relative to the repository root. They are other projects'
 * documents, so they are not in the repository; the conformance tests that read them are skipped where the folder
 * is missing, and test/helpers/reference-setup.ts says so once per run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const REFERENCE_ENV = 'MARKETO_BULK_REFERENCE_DIR';

export const referenceDir = path.resolve(repoRoot, process.env[REFERENCE_ENV] || '../shared');

/** Whether the reference folder exists; without it, conformance tests skip. */
export const hasReference = existsSync(referenceDir);

/** Why the conformance tests are skipped, or undefined when they run. */
export const referenceSkipReason = hasReference
  ? undefined
  : `Reference folder ${referenceDir} not found (set ${REFERENCE_ENV} to point elsewhere): the conformance tests against the Airbyte protocol YAML, Marketo's Swagger files and the Meltano target-test streams are skipped.`;

/** A path inside the reference folder. */
export const referencePath = (...parts: string[]): string => path.join(referenceDir, ...parts);

/** The Meltano SDK target-test streams in Airbyte form. */
export const meltanoDir = referencePath('fixtures/meltano-target-tests');
