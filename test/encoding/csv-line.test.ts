import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { createLineStringifier } from '../../src/encoding/csv-line.js';
import { DELIMITERS, RECORD_DELIMITER, type FileFormat } from '../../src/marketo/file-format.js';

const FORMATS: FileFormat[] = ['csv', 'tsv', 'ssv'];

/** csv-stringify set up as the connector's files are written: the oracle for the line's bytes. */
const stringifyOptions = (format: FileFormat) => ({
  delimiter: DELIMITERS[format],
  record_delimiter: RECORD_DELIMITER,
  // Setting record_delimiter turns this off by default; a lone \n or \r must still be quoted.
  quote_record_delimiter: true,
  eof: true,
});

const readBack = (text: string, format: FileFormat): string[][] => parse(text, { delimiter: DELIMITERS[format] });

describe.each(FORMATS)('createLineStringifier(%s)', (format) => {
  const line = createLineStringifier(format);
  const delimiter = DELIMITERS[format];

  it.each([
    ['the delimiter', `a${delimiter}b`],
    ['a double quote', 'say "hi"'],
    ['LF', 'one\ntwo'],
    ['CR', 'one\rtwo'],
    ['CRLF', 'one\r\ntwo'],
  ])('quotes a value containing %s, doubling its quotes', (_, value) => {
    expect(line(['x', value])).toBe(`x${delimiter}"${value.replaceAll('"', '""')}"\r\n`);
  });

  it('leaves plain values, empty cells and the other formats\' delimiters unquoted', () => {
    const others = Object.values(DELIMITERS).filter((d) => d !== delimiter).join('');
    expect(line(['plain', '', `x${others}y`, ''])).toBe(['plain', '', `x${others}y`, ''].join(delimiter) + '\r\n');
  });

  it('writes a row holding one empty cell as "" so it is not a blank line', () => {
    expect(line([''])).toBe('""\r\n');
    expect(readBack(`h\r\n${line([''])}`, format)).toEqual([['h'], ['']]);
  });

  it('round-trips control characters, emoji, CJK and awkward text exactly through csv-parse', () => {
    const rows = [
      ['NUL \u0000 SOH \u0001 BEL \u0007 ESC \u001b DEL \u007f', 'emoji 😀👩‍👩‍👧 🇹🇼', '简单的字串 / 日本語テキスト / 한국어'],
      ['  padded  ', '"', '""'],
      [`${delimiter}${delimiter}`, 'literal \\u0000 text', 'lone surrogate-free ā ƙ ß'],
      ['=1+2', '-5', '@cmd'],
    ];
    expect(readBack(rows.map(line).join(''), format)).toEqual(rows);
  });

  it('produces exactly the bytes csv-stringify produces for the same rows', () => {
    const alphabet = ['a', 'Z', '0', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '中', '😀', '\u0000', "'", '='];
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const rows = Array.from({ length: 500 }, () =>
      Array.from({ length: 1 + random(6) }, () =>
        Array.from({ length: random(8) }, () => alphabet[random(alphabet.length)]).join(''),
      ),
    ).filter((row) => !(row.length === 1 && row[0] === ''));
    for (const row of rows) {
      expect(line(row)).toBe(stringify([row], stringifyOptions(format)));
    }
  });
});
