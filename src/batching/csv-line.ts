import { Stringifier, type Options } from 'csv-stringify';
import { DELIMITERS, RECORD_DELIMITER, type FileFormat } from './format.js';

/** Turns the cells of one row into one CSV line, record delimiter included. */
export type LineStringifier = (cells: readonly string[]) => string;

/**
 * csv-stringify's per-record engine. `Stringifier` keeps it as `api` and calls it from `_transform`;
 * the typings leave it out, so we name the one method we use and check it exists at start-up.
 */
interface StringifyEngine {
  stringify(record: readonly string[]): [Error | undefined, string | undefined];
}

export function stringifyOptions(format: FileFormat): Options {
  return {
    delimiter: DELIMITERS[format],
    record_delimiter: RECORD_DELIMITER,
    // Setting record_delimiter turns this off by default; a lone \n or \r must still be quoted.
    quote_record_delimiter: true,
    bom: false,
    eof: true,
    escape_formulas: false,
    // Cells reach us as strings, but the defaults would write `false` as '' and Dates as epoch ms.
    cast: {
      boolean: (value) => (value ? 'true' : 'false'),
      date: (value) => value.toISOString(),
      number: (value) => String(value),
      bigint: (value) => String(value),
      object: (value) => JSON.stringify(value),
    },
  };
}

function stringifyEngine(format: FileFormat): StringifyEngine {
  const engine: unknown = Reflect.get(new Stringifier(stringifyOptions(format)), 'api');
  if (typeof engine !== 'object' || engine === null || typeof Reflect.get(engine, 'stringify') !== 'function') {
    throw new Error('csv-stringify no longer exposes Stringifier.api.stringify; update src/batching/csv-line.ts');
  }
  return engine as StringifyEngine;
}

/**
 * One csv-stringify engine, reused for every line. A cell without the delimiter, a quote, CR or LF is
 * written by csv-stringify exactly as it is, so only cells that need quoting go through the engine:
 * that keeps its bytes while skipping its per-field overhead on the common case.
 */
export function createLineStringifier(format: FileFormat): LineStringifier {
  const engine = stringifyEngine(format);
  const delimiter = DELIMITERS[format];
  const needsQuoting = new RegExp(`[${delimiter}"\\r\\n]`);
  const quote = (cell: string): string => {
    const [error, quoted] = engine.stringify([cell]);
    if (error !== undefined || quoted === undefined) throw error ?? new Error('csv-stringify returned nothing');
    return quoted;
  };
  return (cells) => {
    // A line holding only one empty cell would be a blank line, which readers may skip.
    if (cells.length === 1 && cells[0] === '') return `""${RECORD_DELIMITER}`;
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (i > 0) line += delimiter;
      line += needsQuoting.test(cell) ? quote(cell) : cell;
    }
    return line + RECORD_DELIMITER;
  };
}
