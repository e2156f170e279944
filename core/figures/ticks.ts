import { format, precisionFixed } from 'd3-format';

// Axis ticks and number formats for every figure: the Lab's live plots (uPlot), the report's
// and the sweeps' SVG figures. Numbers go through d3-format, so a tick reads the same wherever
// it is drawn (U+2212 minus, no float noise like 0.07155000001).

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '−': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** 10ⁿ with the exponent as superscript digits. */
function powerOfTen(exponent: number): string {
  return `10${String(exponent).replace(/./g, (c) => SUPERSCRIPT[c] ?? c)}`;
}

const significant3 = format('.3~g');
const grouped = format(',~d');

/**
 * A number for readouts, legends and table cells: `digits` significant digits, trailing zeros
 * dropped; past 10⁵ or under 10⁻³ as m·10ⁿ (so one figure never mixes 0.001 and 1e-4 styles).
 */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 && Number.isInteger(v)) return grouped(v);
  // Whole numbers of more digits than asked stay whole (4000, not 4e+3).
  if (a >= 10 ** (digits - 1) && a < 1e5) return format('.0f')(v);
  if (a >= 1e-3 && a < 1e5) return (digits === 3 ? significant3 : format(`.${digits}~g`))(v);
  const [mantissa, exponent] = format(`.${Math.max(0, digits - 1)}~e`)(v).split('e');
  return `${mantissa === '1' ? '' : mantissa === '−1' ? '−' : `${mantissa}·`}${powerOfTen(Number(exponent.replace('−', '-')))}`;
}

/** Evenly spaced ticks on 1-2-2.5-5 steps covering [lo, hi], about `count` of them. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

/** Labels of evenly spaced ticks: one precision for the whole axis (d3's precisionFixed of the step). */
export function linearTickLabels(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : Math.abs(ticks[0]) || 1;
  const big = Math.max(...ticks.map(Math.abs));
  if (big >= 1e5 && ticks.every(Number.isInteger)) return ticks.map((v) => grouped(v));
  if (big >= 1e5 || (big > 0 && big < 1e-3)) return ticks.map((v) => formatNumber(v));
  // d3's precision of the step, raised until every tick is exact (a step of 0.25 needs two).
  let p = precisionFixed(step);
  while (p < 12 && !ticks.every((v) => Math.abs(+v.toFixed(p) - v) <= 1e-9 * step)) p++;
  const f = format(`.${p}f`);
  return ticks.map((v) => f(v));
}

/** Decades (and 2, 5 between them when the range spans two decades or less) within [lo, hi]. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const mults = e1 - e0 <= 2 ? [1, 2, 5] : [1];
  const stride = Math.max(1, Math.ceil((e1 - e0) / 8));
  for (let e = e0; e <= e1; e++) {
    if (mults.length === 1 && (e - e0) % stride !== 0) continue;
    for (const m of mults) {
      const v = +(m * 10 ** e).toPrecision(12);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out.length >= 2 ? out : [lo, hi];
}

/**
 * Labels of a log axis, one style per axis: every decade as 10ⁿ when the axis spans more than
 * two decades, else plain numbers for every tick (1, 2, 5, 10, 20). '' leaves a tick unlabelled.
 */
export function logTickLabels(ticks: readonly (number | null)[]): string[] {
  const positive = ticks.filter((v): v is number => v !== null && v > 0);
  if (positive.length === 0) return ticks.map(() => '');
  const decade = (v: number) => Math.abs(v / 10 ** Math.round(Math.log10(v)) - 1) < 1e-9;
  const span = Math.log10(Math.max(...positive)) - Math.log10(Math.min(...positive));
  if (span > 2.01) return ticks.map((v) => (v !== null && v > 0 && decade(v) ? powerOfTen(Math.round(Math.log10(v))) : ''));
  const oneTwoFive = (v: number) => {
    const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
    return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6);
  };
  // One style on the axis: plain decimals only when every tick has one of a few digits.
  const plain = positive.every((v) => v >= 1e-3 && v < 1e5);
  const scientific = (v: number) => {
    const e = Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / 10 ** e);
    return m === 1 ? powerOfTen(e) : `${m}·${powerOfTen(e)}`;
  };
  return ticks.map((v) => (v !== null && v > 0 && oneTwoFive(v) ? (plain ? formatNumber(v) : scientific(v)) : ''));
}

/** Step numbers on an x axis: 0, 1000, 2000; 10,000 and up grouped. */
export function stepTickLabels(ticks: readonly number[]): string[] {
  return ticks.map((v) => (Math.abs(v) >= 1e4 ? grouped(v) : formatNumber(v, 6)));
}
