import { series, type Series } from './stats.js';

export interface Target {
  /** e.g. "≥ 0.8×" */
  text: string;
  met: boolean;
}

/** One line of the table: our figure, its baseline from the same run, and their ratio. */
export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  ours: Series;
  baselineLabel: string;
  baseline: Series;
  /** ours.median / baseline.median */
  ratio: number;
  target?: Target;
}

export type TargetRule = { text: string; test: (ratio: number, ours: Series, baseline: Series) => boolean };

export const atLeast = (min: number): TargetRule => ({ text: `≥ ${min}×`, test: (r) => r >= min });
export const atMost = (max: number): TargetRule => ({ text: `≤ ${max}×`, test: (r) => r <= max });

export function row(
  scenario: string,
  metric: string,
  unit: string,
  ours: number[],
  baselineLabel: string,
  baseline: number[],
  rule?: TargetRule,
): Row {
  const o = series(ours);
  const b = series(baseline);
  const ratio = o.median / b.median;
  return { scenario, metric, unit, ours: o, baselineLabel, baseline: b, ratio, ...(rule ? { target: { text: rule.text, met: rule.test(ratio, o, b) } } : {}) };
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString('en-US');
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

const spread = (s: Series): string => (s.values.length > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median));

function cells(r: Row): string[] {
  return [
    r.scenario,
    r.metric,
    r.unit,
    spread(r.ours),
    r.baselineLabel,
    spread(r.baseline),
    // 0 ÷ 0 has no ratio (NaN, saved as null in the JSON).
    typeof r.ratio === 'number' && Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—',
    r.target ? `${r.target.text} ${r.target.met ? 'met' : 'MISSED'}` : '',
  ];
}

const HEADER = ['scenario', 'metric', 'unit', 'ours: median (min–max)', 'baseline', 'baseline: median (min–max)', 'ratio', 'target'];

/** The table printed at the end of a run. */
export function textTable(rows: Row[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

/** The same table for the README's Performance section. */
export function markdownTable(rows: Row[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ].join('\n');
}
