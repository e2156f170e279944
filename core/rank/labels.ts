import type { EffectiveRankMeasure } from '../spec/schema';

// What every table column and plot axis calls the measure (docs/theory.md Definition 5.1).

const NAMES: Record<EffectiveRankMeasure, string> = {
  entropy: 'entropy rank',
  nuclear: 'nuclear rank ‖W‖*/‖W‖₂',
  stable: 'stable rank ‖W‖F²/‖W‖₂²',
  numerical: 'numerical rank #{σ > 10⁻³σ₁}',
};

const SYMBOLS: Record<EffectiveRankMeasure, string> = {
  entropy: 'erank',
  nuclear: 'r*',
  stable: 'rF',
  numerical: 'rank_τ',
};

/** The measure in words, for axis titles and legends: "nuclear rank ‖W‖* / ‖W‖₂". */
export function measureName(measure: EffectiveRankMeasure): string {
  return NAMES[measure] ?? measure;
}

/** A short symbol for column headings: erank, r* (nuclear), rF (stable), rank_τ (numerical, τ = 10⁻³). */
export function measureSymbol(measure: EffectiveRankMeasure): string {
  return SYMBOLS[measure] ?? measure;
}

/** The measure of Ŵ_L as a column heading, e.g. "r*(Ŵ_L)" (or of another argument). */
export function measureOf(measure: EffectiveRankMeasure, argument = 'Ŵ_L'): string {
  return `${measureSymbol(measure)}(${argument})`;
}
