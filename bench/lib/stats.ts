/** A figure measured over several rounds: what the table prints. */
export interface Series {
  values: number[];
  median: number;
  min: number;
  max: number;
}

export function series(values: number[]): Series {
  if (values.length === 0) throw new Error('a series needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  return { values, median: quantile(sorted, 0.5), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function median(values: number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Linear interpolation between the closest ranks; `sorted` ascending. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Latencies of one round, kept in a preallocated buffer so that recording one costs no
 * allocation while the load runs.
 */
export class LatencyRecorder {
  private buf: Float64Array;
  private n = 0;

  constructor(capacity = 1 << 20) {
    this.buf = new Float64Array(capacity);
  }

  record(ms: number): void {
    if (this.n < this.buf.length) this.buf[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** p50, p99 etc. of what was recorded, in ms. */
  percentiles(): { p50: number; p99: number } {
    const sorted = this.buf.slice(0, this.n).sort();
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  }
}

/** Times `fn` `count` times in a row; the per-call latencies in ms. */
export async function timeCalls(fn: () => Promise<unknown>, opts: { minCalls: number; maxCalls: number; budgetMs: number }): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + opts.budgetMs;
  while (out.length < opts.maxCalls && (out.length < opts.minCalls || performance.now() < end)) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
