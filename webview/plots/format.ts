import type uPlot from 'uplot';
import { formatNumber as formatFigureNumber, logTickLabels, stepTickLabels } from '../../core/figures/ticks';

// Number formats of the live plots: the same d3-format based ticks and numbers as every static
// figure (core/figures/ticks.ts), in the shapes uPlot's axes and the readouts want.

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
