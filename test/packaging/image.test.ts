import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/cli.js';
import { ignorePatterns, keptInContext, keyValues, readDockerfile, stagesOf, type Instruction } from './dockerfile.js';

const instructions = readDockerfile(path.join(repoRoot, 'Dockerfile'));
const stages = stagesOf(instructions);
const runtime = stages.at(-1) ?? [];
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const metadata = parse(readFileSync(path.join(repoRoot, 'metadata.yaml'), 'utf8')) as { data: Record<string, unknown> };

const all = (stage: Instruction[], keyword: string): Instruction[] => stage.filter((i) => i.keyword === keyword);
const envOf = (stage: Instruction[]): Map<string, string> => new Map(all(stage, 'ENV').flatMap((i) => [...keyValues(i.args)]));
const labelsOf = (stage: Instruction[]): Map<string, string> =>
  new Map(all(stage, 'LABEL').flatMap((i) => [...keyValues(i.args)]));

function entrypoint(): string[] {
  const [last, ...others] = all(runtime, 'ENTRYPOINT').reverse();
  expect(others).toEqual([]);
  // Exec form only: the shell form would put /bin/sh -c in front and swallow the platform's signals.
  return JSON.parse(last?.args ?? 'null') as string[];
}

describe('Dockerfile', () => {
  test('is multi-stage, every stage on the Node 24 slim image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]?.args).toMatch(/^node:24-slim(\s|$)/);
  });

  test('runs as the non-root airbyte user, who owns /airbyte', () => {
    expect(all(runtime, 'USER').at(-1)?.args).toBe('airbyte');
    const setup = all(runtime, 'RUN').map((i) => i.args).join(' && ');
    expect(setup).toMatch(/useradd [^&]*\bairbyte\b/);
    expect(setup).toMatch(/chown airbyte:airbyte \/airbyte(\s|$)/);
  });

  test('AIRBYTE_ENTRYPOINT equals the exec-form ENTRYPOINT, with absolute paths', () => {
    const command = entrypoint();
    expect(command.length).toBeGreaterThan(0);
    for (const part of command) expect(path.posix.isAbsolute(part)).toBe(true);
    expect(envOf(runtime).get('AIRBYTE_ENTRYPOINT')).toBe(command.join(' '));
  });

  test('the entrypoint is the one install-package.sh puts beside the installed package', () => {
    const install = stages.flatMap((s) => all(s, 'RUN')).find((i) => i.args.includes('install-package.sh'));
    // install-package.sh TARBALL LOCKFILE DIR
    const dir = install?.args.split(/\s+/).at(-1);
    expect(entrypoint()[0]).toBe(`${dir}/entrypoint.sh`);
    const copied = all(runtime, 'COPY').find((i) => i.args.startsWith('--from='));
    expect(copied?.args.split(/\s+/).slice(1)).toEqual([dir, dir]);
    // entrypoint.sh starts dist/main.js, which must be the package's bin.
    expect(readFileSync(path.join(repoRoot, 'scripts/entrypoint.sh'), 'utf8')).toContain('"$here/dist/main.js"');
    expect(Object.values(pkg.bin)).toEqual(['dist/main.js']);
  });

  test('installs production dependencies only', () => {
    const script = readFileSync(path.join(repoRoot, 'scripts/install-package.sh'), 'utf8');
    expect(script).toMatch(/npm (install|ci) --omit=dev/);
    expect(all(runtime, 'RUN').some((i) => /\bnpm (ci|install)\b/.test(i.args))).toBe(false);
  });

  test('labels name and version match metadata.yaml and package.json', () => {
    const labels = labelsOf(runtime);
    expect(labels.get('io.airbyte.name')).toBe('destination-marketo-bulk');
    expect(labels.get('io.airbyte.name')).toBe(metadata.data.dockerRepository);
    expect(labels.get('io.airbyte.version')).toBe(pkg.version);
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
  });

  test('every file copied from the build context exists and is not excluded by .dockerignore', () => {
    const patterns = ignorePatterns(readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8'));
    const sources = all(instructions, 'COPY')
      .filter((i) => !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1));
    expect(sources).toContain('package-lock.json');
    for (const source of sources) {
      expect(existsSync(path.join(repoRoot, source)), source).toBe(true);
      expect(keptInContext(source.replace(/\/$/, ''), patterns), source).toBe(true);
    }
    // Sanity check of the matcher on what must stay out of the context.
    expect(keptInContext('node_modules/zod/package.json', patterns)).toBe(false);
    expect(keptInContext('dist/main.js', patterns)).toBe(false);
  });
});
