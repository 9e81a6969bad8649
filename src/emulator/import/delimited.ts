/**
 * RFC 4180 reader for csv, tsv and ssv uploads. Hand-written because the benchmark pushes
 * hundreds of megabytes through the emulator and a general-purpose parser was the bottleneck.
 * Accepts LF or CRLF, quoted fields with doubled quotes, and skips blank lines. A quote inside
 * an unquoted field is literal. No BOM stripping: like Marketo, a BOM ends up in the first header name.
 */

export const DELIMITERS = { csv: ',', tsv: '\t', ssv: ';' } as const;
export type FileFormat = keyof typeof DELIMITERS;

export class DelimitedSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} on line ${line}`);
  }
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Calls `visit` with each record in turn (blank lines skipped); `visit` returns false to stop.
 * Records are handed over one at a time so that a 10 MB file never exists as a million live strings.
 */
export function forEachRecord(text: string, delimiter: string, visit: (cells: string[]) => boolean | void): void {
  const sep = delimiter.charCodeAt(0);
  const n = text.length;
  let line = 1;
  let i = 0;
  while (i < n) {
    const record: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        let value = '';
        let start = i + 1;
        for (;;) {
          const q = text.indexOf('"', start);
          if (q === -1) throw new DelimitedSyntaxError('Unclosed quoted field', line);
          const chunk = text.slice(start, q);
          line += countNewlines(chunk);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += chunk + '"';
            start = q + 2;
          } else {
            value += chunk;
            i = q + 1;
            break;
          }
        }
        record.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === sep || c === LF || c === CR) break;
          j++;
        }
        record.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break;
      const c = text.charCodeAt(i);
      if (c === sep) {
        i++;
        continue;
      }
      if (c === CR || c === LF) {
        i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
        line++;
        break;
      }
      throw new DelimitedSyntaxError('Unexpected character after a quoted field', line);
    }
    if ((record.length > 1 || record[0] !== '') && visit(record) === false) return;
  }
}

/** Parses up to `maxRecords` records (all by default) into memory. */
export function parseDelimited(text: string, delimiter: string, maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  if (maxRecords <= 0) return records;
  forEachRecord(text, delimiter, (cells) => records.push(cells) < maxRecords);
  return records;
}

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) count++;
  return count;
}
