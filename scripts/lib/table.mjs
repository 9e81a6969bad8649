// Plain-text tables for the terminal.

const MAX_CELL = 28;
// East Asian wide and fullwidth characters take two terminal columns.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

const widthOf = (text) => [...text].reduce((width, ch) => width + (WIDE.test(ch) ? 2 : 1), 0);

function cell(value) {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const chars = [...text];
  return chars.length > MAX_CELL ? `${chars.slice(0, MAX_CELL - 1).join('')}…` : text;
}

/** `rows` (objects) as an indented table of `columns`, long cells cut short. */
export function table(rows, columns) {
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => widthOf(row[i]))));
  const line = (values) => `  ${values.map((v, i) => v + ' '.repeat(widths[i] - widthOf(v))).join('  ')}`.trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
