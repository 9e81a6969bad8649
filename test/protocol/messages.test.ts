import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AirbyteMessage,
  AirbyteStateMessage,
  ConfiguredAirbyteCatalog,
  DestinationCatalog,
  streamKey,
} from '../../src/protocol/messages.js';
import { assertValidAirbyteMessage } from '../helpers/airbyte-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/meltano-target-tests');

const samples = {
  record: {
    type: 'RECORD',
    record: { stream: 'leads', namespace: 'crm', data: { email: 'a@b.c' }, emitted_at: 1, future_field: [1] },
  },
  legacyState: { type: 'STATE', state: { data: { cursor: 3 }, id: 7 } },
  streamState: {
    type: 'STATE',
    state: {
      type: 'STREAM',
      id: 1,
      stream: { stream_descriptor: { name: 'leads' }, stream_state: { c: 'x' } },
      sourceStats: { recordCount: 1.0 },
    },
  },
  globalState: {
    type: 'STATE',
    state: {
      type: 'GLOBAL',
      global: { shared_state: { lsn: 9 }, stream_states: [{ stream_descriptor: { name: 'a', namespace: 'n' } }] },
    },
  },
  log: { type: 'LOG', log: { level: 'WARN', message: 'careful' } },
  errorTrace: {
    type: 'TRACE',
    trace: { type: 'ERROR', emitted_at: 5, error: { message: 'boom', failure_type: 'transient_error' } },
  },
  streamStatus: {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: 5,
      stream_status: {
        stream_descriptor: { name: 'leads' },
        status: 'INCOMPLETE',
        reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: 10 } }],
      },
    },
  },
  connectionStatus: { type: 'CONNECTION_STATUS', connectionStatus: { status: 'FAILED', message: 'bad secret' } },
  spec: { type: 'SPEC', spec: { connectionSpecification: { type: 'object' }, supported_destination_sync_modes: ['append'] } },
  destinationCatalog: {
    type: 'DESTINATION_CATALOG',
    destination_catalog: {
      operations: [{ object_name: 'lead', sync_mode: 'append_dedup', json_schema: {}, matching_keys: [['email']] }],
    },
  },
};

describe('AirbyteMessage', () => {
  it.each(Object.entries(samples))('parses a %s message losslessly, and the protocol YAML agrees it is valid', (_, sample) => {
    assertValidAirbyteMessage(sample);
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
  const catalogFiles = readdirSync(fixturesDir).filter((name) => name.endsWith('.catalog.json'));

  it.each(catalogFiles)('parses the fixture %s without losing anything', (name) => {
    const json: unknown = JSON.parse(readFileSync(path.join(fixturesDir, name), 'utf8'));
    expect(ConfiguredAirbyteCatalog.parse(json)).toEqual(json);
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
