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
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

/** The figures of every scenario as a Markdown table, which reads as well on a terminal as in BENCHMARKS.md. */
export function table(sections) {
  const rows = [['Figure', 'Value', 'Target', '']];
  for (const { title, figures } of sections) {
    rows.push([`**${title}**`, '', '', '']);
    for (const f of figures) {
      const target = f.target === undefined ? '' : `${'max' in f.target ? '≤' : '≥'} ${show(f.target.max ?? f.target.min, f.digits, f.unit)}`;
      const verdict = f.met === undefined ? '' : f.met ? 'met' : 'MISSED';
      const notes = [f.note, f.runs && `median of ${f.runs.map((v) => show(v, f.digits, '')).join(', ')}`].filter(Boolean);
      rows.push([notes.length ? `${f.label} (${notes.join('; ')})` : f.label, show(f.value, f.digits, f.unit), target, verdict]);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), line(widths.map((w) => '-'.repeat(w))), ...rows.slice(1).map(line)].join('\n');
}
