import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AirbyteMessage,
  AirbyteStateMessage,
  ConfiguredAirbyteCatalog,
  DestinationCatalog,
  streamKey,
} from '../../src/protocol/messages.js';
import { repoRoot } from '../helpers/cli.js';
import { samples } from '../helpers/protocol-samples.js';
import { hasReference, meltanoDir } from '../helpers/reference.js';

const catalogsIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.catalog.json'))
    .map((name) => path.join(dir, name));
const ownCatalogs = ['write', 'edge-cases', 'resilience'].flatMap((dir) => catalogsIn(path.join(repoRoot, 'test/fixtures', dir)));

describe('AirbyteMessage', () => {
  it.each(Object.entries(samples))('parses a %s message losslessly', (_, sample) => {
    expect(AirbyteMessage.parse(sample)).toEqual(sample);
  });

  it('keeps unknown properties at every level', () => {
    const message = { type: 'LOG', log: { level: 'INFO', message: 'm', extra: { deep: true } }, envelope_extra: 1 };
    expect(AirbyteMessage.parse(message)).toEqual(message);
  });

  it('rejects a payload that does not match its type', () => {
    expect(AirbyteMessage.safeParse({ type: 'TRACE', log: { level: 'INFO', message: 'm' } }).success).toBe(false);
    expect(AirbyteMessage.safeParse({ type: 'LOG', log: { level: 'LOUD', message: 'm' } }).success).toBe(false);
    expect(
      AirbyteMessage.safeParse({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'x', failure_type: 'bogus' } } })
        .success,
    ).toBe(false);
  });
});

describe('AirbyteStateMessage', () => {
  it('accepts the LEGACY, STREAM and GLOBAL forms and keeps the platform id', () => {
    for (const sample of [samples.legacyState, samples.streamState, samples.globalState]) {
      expect(AirbyteStateMessage.parse(sample.state)).toEqual(sample.state);
    }
    expect(AirbyteStateMessage.parse(samples.streamState.state).id).toBe(1);
  });

  it('rejects a STREAM state without a stream descriptor name', () => {
    expect(AirbyteStateMessage.safeParse({ type: 'STREAM', stream: { stream_descriptor: {} } }).success).toBe(false);
  });
});

describe('ConfiguredAirbyteCatalog', () => {
  const parsesLosslessly = (file: string) => {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    expect(ConfiguredAirbyteCatalog.parse(json)).toEqual(json);
  };
  it.each(ownCatalogs.map((file) => path.relative(repoRoot, file)))('parses the fixture %s without losing anything', (file) =>
    parsesLosslessly(path.join(repoRoot, file)),
  );
  describe.skipIf(!hasReference)('Meltano target-test catalogs', () => {
    it.each(hasReference ? catalogsIn(meltanoDir).map((file) => path.basename(file)) : [])('parses %s without losing anything', (name) =>
      parsesLosslessly(path.join(meltanoDir, name)),
    );
  });

  it('accepts the optional refresh and data-activation fields, null included', () => {
    const stream = {
      stream: { name: 'leads', namespace: null, json_schema: {} },
      sync_mode: 'incremental',
      destination_sync_mode: 'update',
      primary_key: [['email']],
      generation_id: 3,
      minimum_generation_id: null,
      sync_id: 12,
      destination_object_name: 'lead',
      include_files: false,
    };
    expect(ConfiguredAirbyteCatalog.parse({ streams: [stream] }).streams[0]).toEqual(stream);
  });

  it('refuses a stream (name and namespace) listed twice, naming it', () => {
    const stream = (name: string, namespace?: string | null) => ({
      stream: { name, namespace, json_schema: {} },
      sync_mode: 'incremental',
      destination_sync_mode: 'append',
    });
    const twice = ConfiguredAirbyteCatalog.safeParse({ streams: [stream('a'), stream('b', 'crm'), stream('a', null), stream('b', 'crm')] });
    expect(z.prettifyError(twice.error!)).toBe(
      '✖ the stream "a" is listed more than once\n  → at streams[2]\n✖ the stream "crm.b" is listed more than once\n  → at streams[3]',
    );
    expect(ConfiguredAirbyteCatalog.safeParse({ streams: [stream('a'), stream('a', 'crm'), stream('b', 'crm')] }).success).toBe(true);
  });

  it('names the path of what is wrong', () => {
    const result = ConfiguredAirbyteCatalog.safeParse({
      streams: [{ stream: { name: 'x', json_schema: {} }, sync_mode: 'full_refresh', destination_sync_mode: 'upsert' }],
    });
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error!)).toContain('streams[0].destination_sync_mode');
  });
});

describe('DestinationCatalog', () => {
  it('requires object_name, sync_mode and json_schema on each operation', () => {
    expect(DestinationCatalog.safeParse({ operations: [{ object_name: 'lead', sync_mode: 'append' }] }).success).toBe(false);
    expect(DestinationCatalog.parse(samples.destinationCatalog.destination_catalog)).toEqual(
      samples.destinationCatalog.destination_catalog,
    );
  });
});

describe('streamKey', () => {
  it('gives different keys to different (namespace, name) pairs, however the names look', () => {
    const pairs: Array<[string, string | undefined]> = [
      ['a.b', undefined],
      ['b', 'a'],
      ['a', 'b'],
      ['1:ab', undefined],
      ['b', '1:a'],
      ['', 'ab'],
      ['ab', undefined],
    ];
    const keys = pairs.map(([name, namespace]) => streamKey(name, namespace));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('treats a missing, null and empty namespace alike, and is stable', () => {
    expect(streamKey('leads')).toBe(streamKey('leads', null));
    expect(streamKey('leads')).toBe(streamKey('leads', ''));
    expect(streamKey('leads', 'crm')).toBe(streamKey('leads', 'crm'));
    expect(streamKey('leads', 'crm')).not.toBe(streamKey('leads'));
  });
});
