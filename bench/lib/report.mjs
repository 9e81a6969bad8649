// Figures, their targets and the printed table.

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * One reported figure. `target` is { max } or { min } when the issue sets one; `met` is then true or false.
 * `digits` is how many decimals to print; `runs`, the value of each run when `value` is their median.
 */
export function figure(label, value, { unit = '', target, digits = 2, note, runs } = {}) {
  const met = target === undefined ? undefined : 'max' in target ? value <= target.max : value >= target.min;
  return { label, value, unit, digits, ...(target ? { target, met } : {}), ...(note ? { note } : {}), ...(runs ? { runs } : {}) };
}

/** The median of `values`, reported with each of them. */
export function medianFigure(label, values, options = {}) {
  return figure(label, median(values), { ...options, runs: values.length > 1 ? values : undefined });
}

function show(value, digits, unit) {
  if (value === undefined) return '–';
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

/** A figure's value, with every run's value when it is a median. */
function cell(f) {
  if (!f) return '–';
  const value = show(f.value, f.digits, f.unit);
  return f.runs ? `${value} (${f.runs.map((v) => show(v, f.digits, '')).join(', ')})` : value;
}

/**
 * The figures of every scenario as a Markdown table, which reads as well on a terminal as in BENCHMARKS.md: one
 * value column per Node version, `columns` = [{ label, sections }], every column from the same scenarios.
 */
export function table(columns) {
  const rows = [['Figure', ...columns.map((c) => c.label), 'Target', '']];
  columns[0].sections.forEach(({ title, figures }, s) => {
    rows.push([`**${title}**`, ...columns.map(() => ''), '', '']);
    figures.forEach((f, i) => {
      const each = columns.map((c) => c.sections[s]?.figures[i]);
      const target = f.target === undefined ? '' : `${'max' in f.target ? '≤' : '≥'} ${show(f.target.max ?? f.target.min, f.digits, f.unit)}`;
      const verdict = f.target === undefined ? '' : each.map((g) => (g?.met ? 'met' : 'MISSED')).join(', ');
      rows.push([f.note ? `${f.label} (${f.note})` : f.label, ...each.map(cell), target, verdict]);
    });
  });
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}
