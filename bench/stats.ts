/**
 * Summaries of timing samples and the ratios the report prints. Pure functions, so the unit test
 * can pin them; the unit (µs, ms, requests/s) is the caller's.
 */

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly min: number;
  readonly mean: number;
}

/**
 * Nearest-rank quantile of ascending samples: always a value that was measured, never an
 * interpolation between two, so a p99 over few samples is the honest worst-but-one.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
  };
}

/** Median of the element-wise differences of two equally long series (e.g. paired rounds of a cold start and bare Node). */
export function medianDifference(samples: readonly number[], baseline: readonly number[]): number {
  const pairs = Math.min(samples.length, baseline.length);
  const differences = Array.from({ length: pairs }, (_, index) => (samples[index] ?? 0) - (baseline[index] ?? 0));
  return summarize(differences).p50;
}

/** `value / baseline`, or NaN when there is nothing to compare with. */
export function ratio(value: number, baseline: number | undefined): number {
  if (baseline === undefined || !Number.isFinite(baseline) || baseline <= 0 || !Number.isFinite(value)) {
    return Number.NaN;
  }
  return value / baseline;
}

/** `1.23×`, or an em dash when the ratio is undefined (a peer that cannot do the algorithm). */
export function formatRatio(value: number, baseline: number | undefined): string {
  const quotient = ratio(value, baseline);
  if (Number.isNaN(quotient)) return "—";
  return `${quotient < 10 ? quotient.toFixed(2) : quotient.toFixed(1)}×`;
}

/** Three significant digits without exponent notation: 0.0123, 1.23, 12.3, 1234. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}
