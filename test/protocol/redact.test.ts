import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactPaths, secretPaths, secretValues } from '../../src/protocol/redact.js';
import { encodingsOf } from '../helpers/secrets.js';

const spec = {
  type: 'object',
  definitions: { token: { type: 'string', airbyte_secret: true } },
  properties: {
    client_id: { type: 'string' },
    client_secret: { type: 'string', airbyte_secret: true },
    auth: {
      oneOf: [
        { type: 'object', properties: { method: { const: 'password' }, password: { type: 'string', airbyte_secret: true } } },
        { type: 'object', properties: { method: { const: 'oauth' }, refresh_token: { $ref: '#/definitions/token' } } },
      ],
    },
    proxies: {
      type: 'array',
      items: { type: 'object', properties: { host: { type: 'string' }, key: { anyOf: [{ type: 'string', airbyte_secret: true }] } } },
    },
    headers: { type: 'object', additionalProperties: { type: 'string', airbyte_secret: true } },
    nested: { allOf: [{ properties: { deep: { properties: { pin: { type: 'integer', airbyte_secret: true } } } } }] },
  },
};

describe('secretPaths', () => {
  it('finds airbyte_secret fields through properties, oneOf, anyOf, allOf, items, additionalProperties and $ref', () => {
    expect(secretPaths(spec)).toEqual(
      expect.arrayContaining([
        ['client_secret'],
        ['auth', 'password'],
        ['auth', 'refresh_token'],
        ['proxies', '*', 'key'],
        ['headers', '*'],
        ['nested', 'deep', 'pin'],
      ]),
    );
    expect(secretPaths(spec)).toHaveLength(6);
  });

  it('lists a path once even when several oneOf branches declare it', () => {
    const schema = {
      properties: {
        creds: { oneOf: [{ properties: { secret: { airbyte_secret: true } } }, { properties: { secret: { airbyte_secret: true } } }] },
      },
    };
    expect(secretPaths(schema)).toEqual([['creds', 'secret']]);
  });

  it('survives a recursive $ref and non-schema input', () => {
    const recursive = { definitions: { node: { properties: { child: { $ref: '#/definitions/node' }, key: { airbyte_secret: true } } } }, $ref: '#/definitions/node' };
    expect(secretPaths(recursive)).toEqual([['key']]);
    expect(secretPaths(undefined)).toEqual([]);
    expect(secretPaths({ properties: 'nonsense' })).toEqual([]);
  });
});

describe('secretValues', () => {
  const config = {
    client_id: 'visible-id',
    client_secret: 'the-client-secret',
    auth: { method: 'oauth', refresh_token: 'refresh-123' },
    proxies: [{ host: 'a', key: 'proxy-key-1' }, { host: 'b' }, { host: 'c', key: 'proxy-key-2' }],
    headers: { 'X-Api-Key': 'header-key' },
    nested: { deep: { pin: 123456 } },
  };

  it('collects the value at every secret path, as strings, and nothing else', () => {
    expect(secretValues(config, secretPaths(spec)).sort()).toEqual(
      ['the-client-secret', 'refresh-123', 'proxy-key-1', 'proxy-key-2', 'header-key', '123456'].sort(),
    );
  });

  it('collects every leaf when a secret path ends on an object', () => {
    expect(secretValues({ creds: { a: 'one1', b: ['two2'] } }, [['creds']]).sort()).toEqual(['one1', 'two2']);
  });

  it('ignores paths that are absent from the config', () => {
    expect(secretValues({ other: 1 }, [['client_secret'], ['proxies', '*', 'key']])).toEqual([]);
    expect(secretValues('not an object', [['x']])).toEqual([]);
  });
});

describe('redactPaths', () => {
  it('returns a copy with the secret values masked and the original untouched', () => {
    const config = { client_id: 'id', client_secret: 's3cr3t', proxies: [{ key: 'k1', host: 'h' }] };
    const redacted = redactPaths(config, [['client_secret'], ['proxies', '*', 'key'], ['missing']]);
    expect(redacted).toEqual({ client_id: 'id', client_secret: REDACTED, proxies: [{ key: REDACTED, host: 'h' }] });
    expect(config.client_secret).toBe('s3cr3t');
  });
});

describe('Redactor', () => {
  it('replaces every occurrence of every secret, the longest match first', () => {
    const redactor = new Redactor();
    redactor.add('abcd');
    redactor.add('abcdefgh');
    expect(redactor.redact('x abcdefgh y abcd z abcdabcd')).toBe(`x ${REDACTED} y ${REDACTED} z ${REDACTED}${REDACTED}`);
  });

  it('treats regex characters in secrets literally', () => {
    const redactor = new Redactor();
    redactor.add('a.b*c(d)');
    expect(redactor.redact('a.b*c(d) axbbbc(d)')).toBe(`${REDACTED} axbbbc(d)`);
  });

  it('also catches the JSON-escaped and URL-encoded forms of a secret', () => {
    const redactor = new Redactor();
    redactor.add('tok:en/"1"');
    expect(redactor.redact(JSON.stringify({ t: 'tok:en/"1"' }))).toBe(`{"t":"${REDACTED}"}`);
    expect(redactor.redact(`?access_token=${encodeURIComponent('tok:en/"1"')}`)).toBe(`?access_token=${REDACTED}`);
  });

  // Space, the characters encodeURIComponent and form encoding treat differently, the ones both escape, quotes, a
  // backslash, a control character, non-ASCII and an astral character.
  const tricky = `A b'~()!*+/=&%"\\\té€😀z`;

  it('catches a secret in every encoding it can leave or come back in, alone and inside text', () => {
    for (const secret of [tricky, 'S3ntinel+Secret/Value=42!', 'plain-secret-1234', 'ünïcødé sëcret']) {
      const redactor = new Redactor();
      redactor.add(secret);
      for (const [name, form] of Object.entries(encodingsOf(secret))) {
        expect(redactor.redact(`before ${form} after`), `${name} of ${secret}`).toBe(`before ${REDACTED} after`);
      }
    }
  });

  it('catches any beginning of a secret that a cut left before the truncation mark, even inside an escape', () => {
    const redactor = new Redactor();
    redactor.add(tricky);
    for (const [name, form] of Object.entries(encodingsOf(tricky))) {
      for (let end = 1; end < form.length; end++) {
        expect(redactor.redact(`body: ${form.slice(0, end)}…`), `${name} cut after ${end}`).toBe(`body: ${REDACTED}…`);
      }
    }
    expect(redactor.redact('a b c…')).toBe('a b c…');
  });

  it('leaves a near miss alone', () => {
    const redactor = new Redactor();
    redactor.add(tricky);
    const nearMiss = tricky.replace('€', 'E');
    expect(redactor.redact(nearMiss)).toBe(nearMiss);
    expect(redactor.redact(encodeURIComponent(nearMiss))).toBe(encodeURIComponent(nearMiss));
  });

  it('ignores values shorter than 4 characters, empty and undefined', () => {
    const redactor = new Redactor();
    redactor.add('abc');
    redactor.add('');
    redactor.add(undefined);
    expect(redactor.redact('abc abc')).toBe('abc abc');
  });

  it('passes text through untouched when it knows no secrets', () => {
    expect(new Redactor().redact('plain')).toBe('plain');
  });
});
