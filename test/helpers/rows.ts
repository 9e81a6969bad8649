// Encoded rows for tests of the file builder and what reads its files, written the way the encoder writes them.
import type { CsvFileBuilder, EncodedLines } from '../../src/pipeline/csv-file.js';
import { createLineStringifier } from '../../src/encoding/csv-line.js';
import { hash52 } from '../../src/encoding/lookup-hash.js';
import { KeyHashesBuilder } from '../../src/pipeline/key-hashes.js';
import type { FileFormat } from '../../src/marketo/file-format.js';

export function encodedLines(rows: string[][], format: FileFormat = 'csv'): EncodedLines {
  const line = createLineStringifier(format);
  const parts = rows.map((cells) => Buffer.from(line(cells)));
  const ends = new Uint32Array(parts.length);
  let end = 0;
  parts.forEach((part, i) => (ends[i] = end += part.length));
  return { bytes: Buffer.concat(parts), ends };
}

/** Pushes one row: 'full' when it does not fit the open file (and was not added). */
export function pushRow<M>(builder: CsvFileBuilder<M>, cells: string[], meta: M, format: FileFormat = 'csv'): 'added' | 'full' {
  return builder.push(encodedLines([cells], format), 0, meta) === 1 ? 'added' : 'full';
}

/** The sorted hashes a file with these lookup values carries. */
export function sealedHashes(keys: string[]): Float64Array {
  const builder = new KeyHashesBuilder();
  builder.add(Float64Array.from(keys, hash52), 0, keys.length);
  return builder.seal();
}
