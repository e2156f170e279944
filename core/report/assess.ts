import { formatRun, pairPlateaus } from '../plateaus/pairing';
import { measureName, measureOf } from '../rank/labels';
import type { RunResult } from '../result';
import { flowTimeLaw } from './flowTimeLaw';

/** One measured finding of a run, in words with its numbers. */
export interface Finding {
  label: string;
  text: string;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? String(+x.toPrecision(digits)) : String(x));

/** Step at which σ_i first reaches θ·s_i (s the target's singular values), or −1. */
export function reachStep(result: RunResult, i: number, theta = 0.5): number {
  const target = result.target.singularValues[i];
  const t = result.singularValues.findIndex((row) => row[i] >= theta * target);
  return t < 0 ? -1 : result.steps[t];
}

/** The step and value of the smallest entry of a series. */
function minimum(series: readonly number[], steps: readonly number[]): { step: number; value: number } {
  let best = 0;
  for (let i = 1; i < series.length; i++) if (series[i] < series[best]) best = i;
  return { step: steps[best], value: series[best] };
}

/**
 * What a run measured, as short sentences with numbers: plateaus per L against predictions,
 * closest approach to Ŵ_1 and Ŵ_2, order of learning, and the denoising error to W* where the
 * target has one. Used by `dfl report` and docs/reproduction.md.
 */
export function assessRun(result: RunResult): Finding[] {
  const findings: Finding[] = [];
  const { predicted, steps } = result;
  const Lmax = Math.min(result.targetEffectiveRanks.length, 4);
  // The same pairing as every other view (core/plateaus/pairing.ts).
  const pairs = pairPlateaus(result);
  for (let L = 1; L <= Lmax; L++) {
    const ofL = pairs.filter((p) => p.L === L);
    // A level the rank returns to has a finding per certified interval.
    for (const pair of ofL.length > 0 ? ofL : [undefined]) {
      const run = pair?.measured;
      const pred = pair?.predicted;
      const level = `${measureOf(result.spec.effectiveRank, `Ŵ_${L}`)} = ${fmt(result.targetEffectiveRanks[L - 1])}`;
      let text = run
        ? `measured ε-run (ε = ${result.spec.epsilon}) at ${level}: steps ${formatRun(run, '', '–', '')} (${run.end - run.start + 1} steps)`
        : `no ε-run at ${level}`;
      if (pred) text += `; predicted ${pred.start}–${pred.end}${pred.hypothesesMet ? ` (certified ε ${fmt(pred.epsilon, 2)})` : ' (hypotheses not met)'}`;
      if (pair?.tightness !== undefined) text += `; tightness ${pair.tightness.toFixed(2)} against ${pair.against}`;
      findings.push({ label: `rank ${L}`, text });
    }
  }
  for (const L of [1, 2]) {
    if (result.distanceToBestRank[0]?.length >= L) {
      const d = result.distanceToBestRank.map((row) => row[L - 1]);
      const m = minimum(d, steps);
      findings.push({ label: `closest to Ŵ_${L}`, text: `min ‖W(k) − Ŵ_${L}‖_F / ‖W(0) − Ŵ_${L}‖_F = ${fmt(m.value / d[0])} at step ${m.step}` });
    }
  }
  const r = Math.min(4, result.targetEffectiveRanks.length);
  const reach = Array.from({ length: r }, (_, i) => reachStep(result, i));
  const ordered = reach.every((k, i) => k >= 0 && (i === 0 || k >= reach[i - 1]));
  findings.push({ label: 'order of learning', text: `σ_i reaches half of s_i at steps [${reach.join(', ')}] (i = 1…${r}): ${ordered ? 'in order' : 'not in order'}` });
  if (result.groundTruthError) {
    const g = result.groundTruthError;
    const m = minimum(g, steps);
    const last = g[g.length - 1];
    const pred = predicted.plateaus.filter((p) => p.hypothesesMet);
    const inside = pred.find((p) => p.start <= m.step && m.step <= p.end);
    findings.push({
      label: 'error to W*',
      text: `‖W(k) − W*‖_F is smallest (${fmt(m.value)}) at step ${m.step}${inside ? `, inside the predicted interval for L = ${inside.L} (${inside.start}–${inside.end})` : ''}; at the last step it is ${fmt(last)} (${fmt(last / m.value)}× the minimum)`,
    });
  }
  const law = flowTimeLaw(result);
  if (law.length > 0)
    findings.push({
      label: 'flow-time law (3.4)',
      text: law
        .map((r) => `L = ${r.L}: measured ${r.measured ? `${r.measured.start}–${r.measured.end}` : 'none'}, (3.4) ${r.law.start}–${r.law.end} (σ_${r.L} at half by (3.3): ${r.exactHalf})`)
        .join('; '),
    });
  if (result.balancedness && result.balancedness.length > 0) {
    const b = result.balancedness;
    const fmtRow = (row: number[]) => row.map((x) => fmt(x)).join(', ');
    findings.push({ label: 'balancedness', text: `‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F (j = 1…${b[0].length}) is ${fmtRow(b[0])} at step ${steps[0]} and ${fmtRow(b[b.length - 1])} at step ${steps[b.length - 1]}` });
  }
  findings.push({ label: 'end', text: `${result.stopped.kind} at step ${result.stopped.step}; final loss ${fmt(result.loss[result.loss.length - 1])}, ${measureName(result.spec.effectiveRank)} ${fmt(result.effectiveRank[result.effectiveRank.length - 1])}` });
  return findings;
}
