import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { DOCUMENTATION_URL } from '../../src/config/spec.js';
import { repoRoot } from '../helpers/cli.js';

const metadata = parse(readFileSync(path.join(repoRoot, 'metadata.yaml'), 'utf8')) as {
  metadataSpecVersion: unknown;
  data: Record<string, unknown>;
};
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; license: string };

describe('metadata.yaml', () => {
  test('is Airbyte metadata spec 1.0 for an API destination', () => {
    expect(metadata.metadataSpecVersion).toBe('1.0');
    expect(metadata.data).toMatchObject({
      connectorType: 'destination',
      connectorSubtype: 'api',
      dockerRepository: 'destination-marketo-bulk',
      releaseStage: 'alpha',
      supportLevel: 'community',
      supportsDataActivation: true,
      supportsRefreshes: true,
      allowedHosts: { hosts: ['*.mktorest.com', '*.amazonaws.com'] },
    });
    expect(metadata.data.tags).toContain('language:typescript');
    expect(metadata.data.name).toEqual(expect.any(String));
  });

  test('has a fixed UUID definitionId', () => {
    expect(metadata.data.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('agrees with package.json and the spec', () => {
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
    expect(metadata.data.license).toBe(pkg.license);
    expect(metadata.data.documentationUrl).toBe(DOCUMENTATION_URL);
    const spec = JSON.parse(readFileSync(path.join(repoRoot, 'spec.json'), 'utf8')) as { documentationUrl: string };
    expect(spec.documentationUrl).toBe(DOCUMENTATION_URL);
  });
});
