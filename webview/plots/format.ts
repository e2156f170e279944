import type uPlot from 'uplot';
import { formatNumber as formatFigureNumber, logTickLabels, powerOfTen, stepTickLabels } from '../../core/figures/ticks';

// Number formats of the live plots: the same d3-format based ticks and numbers as every static
// figure (core/figures/ticks.ts), in the shapes uPlot's axes and the readouts want.

/** 10ⁿ for decades, '' for the minor ticks of a log axis. */
export function formatDecade(v: number | null): string {
  if (v === null || !(v > 0)) return '';
  const e = Math.round(Math.log10(v));
  return Math.abs(v / 10 ** e - 1) > 1e-9 ? '' : powerOfTen(e);
}

/** Labels of a log axis: one style per axis (core/figures/ticks.ts logTickLabels). */
export function logTicks(splits: (number | null)[]): string[] {
  return logTickLabels(splits);
}

/** Numbers for readouts: `digits` significant digits, m·10ⁿ outside 10⁻³…10⁵. */
export function formatNumber(v: number, digits = 3): string {
  return formatFigureNumber(v, digits);
}

export function stepTicks(_u: uPlot, splits: number[]): string[] {
  return stepTickLabels(splits);
}

export function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]);
}
