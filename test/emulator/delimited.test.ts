import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { DelimitedSyntaxError, parseDelimited } from '../../src/emulator/import/delimited.js';

const oracle = (text: string, delimiter: string): string[][] =>
  parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true });

describe('parseDelimited', () => {
  const cases: [string, string, string][] = [
    ['plain', ',', 'a,b,c\n1,2,3\n'],
    ['CRLF and no final newline', ',', 'a,b\r\n1,2\r\n3,4'],
    ['quoted delimiter, quote and newline', ',', 'a,b\n"x,y","say ""hi"""\n"multi\nline",z\n'],
    ['empty fields and trailing delimiter', ',', 'a,b,c\n,,\n1,,\n'],
    ['blank lines are skipped', ',', 'a,b\n\n1,2\n\n3,4\n'],
    ['blank CRLF lines are skipped', ',', 'a,b\r\n\r\n1,2\r\n'],
    ['tab separated', '\t', 'a\tb\n"1\t2"\t3\n'],
    ['semicolon separated', ';', 'a;b\n1,5;"x;y"\n'],
    ['quote inside an unquoted field is literal', ',', 'a,b\n5" pipe,x\n'],
    ['short and long rows', ',', 'a,b,c\n1\n1,2,3,4\n'],
    ['unicode', ',', 'name,city\nZoë,Zürich\n'],
  ];
  test.each(cases)('%s matches csv-parse', (_name, delimiter, text) => {
    expect(parseDelimited(text, delimiter)).toEqual(oracle(text, delimiter));
  });

  test('stops after maxRecords', () => {
    expect(parseDelimited('a,b\n1,2\n3,4\n', ',', 1)).toEqual([['a', 'b']]);
  });

  test('keeps a BOM in the first name, as Marketo would see it', () => {
    expect(parseDelimited('\uFEFFemail\nx@y.z\n', ',')[0]).toEqual(['\uFEFFemail']);
  });

  test('reports an unclosed quote with its line', () => {
    expect(() => parseDelimited('a,b\n1,2\n3,"open\n', ',')).toThrow(DelimitedSyntaxError);
    expect(() => parseDelimited('a,b\n1,2\n3,"open\n', ',')).toThrow(/line 3/);
  });

  test('rejects text after a closing quote', () => {
    expect(() => parseDelimited('a,b\n"x"y,2\n', ',')).toThrow(/after a quoted field on line 2/);
  });
});
