import type { RunResult } from '../result';
import { asymptoticTime, flowTime } from '../theory/flowTime';

/** One rank's plateau against the flow-time law (docs/theory.md (3.4)), in steps. */
export interface FlowTimeRow {
  L: number;
  /** The longest measured ε-plateau at erank(Ŵ_L), or undefined. */
  measured?: { start: number; end: number };
  /**
   * (3.4): component L is learned after τ_L = 1/((N−2)λ_Lα^{N−2}) (N ≥ 3; ln(λ/α²)/(2λ) for
   * N = 2, ln(λ/α) for N = 1) time units, i.e. τ_L/η steps; the plateau at rank L lasts from
   * τ_L/η to τ_{L+1}/η (the last one to the end of the run).
   */
  law: { start: number; end: number };
  /** The exact flow time (3.3) for component L to reach λ_L/2, in steps. */
  exactHalf: number;
}

/**
 * Plateau starts and lengths against (3.4), for runs from the identity or aligned initialization (the
 * law's setting: α is then the factors' scale). λ_L are the target's singular values (its
 * positive eigenvalues when symmetric). Empty for other initializations and for N = 1, where
 * every component converges at the same rate and (3.4)'s times grow with λ (Remark 4.2: no
 * plateaus to order). A rank whose law starts at or after the run's last step, or after the next
 * rank's (leading order only: N = 2 with λ ≤ eα²), gets no row, so no interval is backwards.
 */
export function flowTimeLaw(result: RunResult, maxRank = 4): FlowTimeRow[] {
  const { spec } = result;
  if ((spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') || spec.depth < 2) return [];
  const alpha = spec.init.alpha;
  const N = spec.depth;
  const eta = spec.stepSize;
  const lambda = result.target.singularValues.slice(0, Math.min(maxRank + 1, result.targetEffectiveRanks.length));
  const time = (l: number) => (lambda[l] > 0 ? asymptoticTime(lambda[l], alpha, N) / eta : Infinity);
  const rows: FlowTimeRow[] = [];
  for (let l = 0; l < Math.min(maxRank, lambda.length); l++) {
    const L = l + 1;
    const start = time(l);
    const next = l + 1 < lambda.length ? time(l + 1) : Infinity;
    if (!(start < spec.steps) || next < start) break;
    const runs = result.measured.plateaus.filter((p) => p.L === L);
    const longest = runs.reduce<(typeof runs)[number] | undefined>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), undefined);
    rows.push({
      L,
      measured: longest && { start: longest.start, end: longest.end },
      law: { start: Math.round(start), end: Math.round(Math.min(next, spec.steps)) },
      exactHalf: Math.round(flowTime(lambda[l], alpha, N, 0.5) / eta),
    });
  }
  return rows;
}
