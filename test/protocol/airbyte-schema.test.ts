import { describe, expect, it } from 'vitest';
import { assertValidAirbyteMessage, parseStdoutLines } from '../helpers/airbyte-schema.js';

describe('assertValidAirbyteMessage (test helper)', () => {
  it.each([
    ['a TRACE without trace', { type: 'TRACE' }, 'at trace'],
    ['a TRACE ERROR without error', { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1 } }, 'at trace.error'],
    ['a LOG carrying a record too', { type: 'LOG', log: { level: 'INFO', message: 'm' }, record: { stream: 's', data: {}, emitted_at: 1 } }, 'at record'],
    ['a STREAM state without stream', { type: 'STATE', state: { type: 'STREAM' } }, 'at state.stream'],
    ['a legacy state without data', { type: 'STATE', state: {} }, 'at state.data'],
    ['an unknown failure_type', { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'm', failure_type: 'bogus' } } }, 'at trace.error.failure_type'],
    ['an unknown type', { type: 'HELLO' }, 'Invalid discriminator value'],
    ['a bad documentationUrl', { type: 'SPEC', spec: { connectionSpecification: {}, documentationUrl: 'not a url' } }, 'at spec.documentationUrl'],
  ])('rejects %s', (_, message, problem) => {
    expect(() => assertValidAirbyteMessage(message)).toThrow(problem);
  });

  it('accepts a STATE with the platform id and unknown properties', () => {
    expect(() => assertValidAirbyteMessage({ type: 'STATE', state: { type: 'STREAM', id: 3, stream: { stream_descriptor: { name: 'a' } } }, x: 1 })).not.toThrow();
  });
});

describe('parseStdoutLines (test helper)', () => {
  const log = JSON.stringify({ type: 'LOG', log: { level: 'INFO', message: 'm' } });

  it('returns every line as a message', () => {
    expect(parseStdoutLines(`${log}\n${log}\n`)).toHaveLength(2);
    expect(parseStdoutLines('')).toEqual([]);
  });

  it('rejects non-JSON lines, blank lines and an unterminated last line, naming the line', () => {
    expect(() => parseStdoutLines(`${log}\nhello\n`)).toThrow('stdout line 2 is not JSON');
    expect(() => parseStdoutLines(`${log}\n\n`)).toThrow('stdout line 2 is not JSON');
    expect(() => parseStdoutLines(log)).toThrow('does not end with a newline');
    expect(() => parseStdoutLines('{"type":"TRACE"}\n')).toThrow('stdout line 1');
  });
});
