import type uPlot from 'uplot';

// Number formats of the plots: axis ticks, readouts and sub/superscripts.

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10⁻³ for decades, '' for the minor ticks of a log axis. */
export function formatDecade(v: number | null): string {
  if (v === null || !(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  if (Math.abs(v / 10 ** e - 1) > 1e-9) return '';
  if (e >= 0 && e <= 3) return String(10 ** e);
  if (e === -1) return '0.1';
  return `10${String(e).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

/** Labels of a log axis: the decades, or 1-2-5 steps too when the range holds under two decades. */
export function logTicks(splits: (number | null)[]): string[] {
  const decades = splits.map(formatDecade);
  if (decades.filter(Boolean).length >= 2) return decades;
  return splits.map((v) => {
    if (v === null || !(v > 0)) return '';
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6) ? formatNumber(v) : '';
  });
}

/** Compact numbers for ticks and readouts: 1.5k, 0.0031, 2.4e-7. */
export function formatNumber(v: number, digits = 3): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 && a < 1e7 && Number.isInteger(v)) return `${+(v / 1000).toPrecision(digits)}k`;
  if (a >= 1e-3 && a < 1e5) return String(+v.toPrecision(digits));
  return v.toExponential(digits - 1).replace('e+', 'e');
}

export function stepTicks(_u: uPlot, splits: number[]): string[] {
  return splits.map((v) => (v >= 10000 && v % 1000 === 0 ? `${v / 1000}k` : String(v)));
}

export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
