/** Summaries for repeated measurements: median and interquartile range, never a single run. */
export interface Summary {
  n: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

const quantile = (sorted: number[], q: number) => {
  if (!sorted.length) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
};

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: quantile(sorted, 0.5), p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** "4.21 ms (IQR 3.90–4.60, n 30)" */
export const formatMs = (s: Summary, digits = 2) =>
  `${s.median.toFixed(digits)} ms (IQR ${s.p25.toFixed(digits)}–${s.p75.toFixed(digits)}, n ${s.n})`;

/** Relative spread: IQR / median. */
export const spread = (s: Summary) => (s.median ? (s.p75 - s.p25) / s.median : Number.NaN);
