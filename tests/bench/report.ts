/**
 * One benchmark result per metric, printed either as a table for people or as JSON lines for
 * tools: `{ "name", "value", "unit", "baseline", "ratio" }`, one object per line.
 */

export interface Metric {
  /** Dotted and stable, e.g. `http.home.rps`: tools compare runs by it. */
  name: string;
  value: number;
  unit: string;
  /** The same measure on the baseline, in the same run and unit. */
  baseline: number;
  /** value / baseline (null when the baseline is 0). */
  ratio: number | null;
  /** How a bigger value reads: more is better (throughput) or worse (latency). Table only. */
  better: 'higher' | 'lower';
  /** For people, e.g. "home page, requests per second". Table only. */
  label: string;
}

const round = (n: number, digits: number) => Number(n.toFixed(digits));

export function metric(m: Omit<Metric, 'ratio'>): Metric {
  return { ...m, ratio: m.baseline > 0 ? m.value / m.baseline : null };
}

/** The machine-readable line: exactly these five fields, numbers rounded for stable diffs. */
export function jsonLine(m: Metric): string {
  const digits = m.unit === 'ms' ? 3 : 1;
  return JSON.stringify({
    name: m.name,
    value: round(m.value, digits),
    unit: m.unit,
    baseline: round(m.baseline, digits),
    ratio: m.ratio === null ? null : round(m.ratio, 4),
  });
}

function reading(m: Metric): string {
  if (m.ratio === null || !Number.isFinite(m.ratio)) return '';
  const r = m.ratio;
  if (Math.abs(r - 1) < 0.05) return 'about the same as bare';
  if (m.better === 'higher') {
    return r < 1 ? `${fmt(1 / r, 1)}× fewer than bare` : `${fmt(r, 1)}× more than bare`;
  }
  return r > 1 ? `${fmt(r, 1)}× slower than bare` : `${fmt(1 / r, 1)}× faster than bare`;
}

const fmt = (n: number, digits: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A plain-text table with a heading; columns: name, value, unit, baseline, ratio, reading. */
export function table(metrics: Metric[], heading: string[]): string {
  const rows = metrics.map((m) => {
    const digits = m.unit === 'ms' ? 2 : 1;
    return [
      m.name,
      fmt(m.value, digits),
      m.unit,
      fmt(m.baseline, digits),
      m.ratio === null ? '-' : fmt(m.ratio, 3),
      `${m.label}: ${reading(m)}`,
    ];
  });
  const head = ['name', 'value', 'unit', 'baseline', 'ratio', 'reading'];
  const numeric = [false, true, false, true, true, false];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [...heading, '', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''].join('\n');
}
