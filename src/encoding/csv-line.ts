import { DELIMITERS, RECORD_DELIMITER, type FileFormat } from '../marketo/file-format.js';

/** Turns the cells of one row into one CSV line, record delimiter included. */
export type LineStringifier = (cells: readonly string[]) => string;

/**
 * RFC 4180: a cell holding the delimiter, a double quote, CR or LF is enclosed in double quotes, its quotes doubled;
 * every other cell is written as it is. Cells are already strings, so this is all a line needs, and most cells skip it.
 * The tests hold these bytes to csv-stringify's and read them back with csv-parse.
 */
export function createLineStringifier(format: FileFormat): LineStringifier {
  const delimiter = DELIMITERS[format];
  const needsQuoting = new RegExp(`[${delimiter}"\\r\\n]`);
  return (cells) => {
    // A line holding only one empty cell would be a blank line, which readers may skip.
    if (cells.length === 1 && cells[0] === '') return `""${RECORD_DELIMITER}`;
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (i > 0) line += delimiter;
      line += needsQuoting.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
    }
    return line + RECORD_DELIMITER;
  };
}
