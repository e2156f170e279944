import { runExperiment } from '../../core/engine/runExperiment';
import { createRng } from '../../core/random';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpecInput } from '../../core/spec/schema';
import type { RunResult } from '../../core/result';

/**
 * Empirical claims of docs/theory.md §6 (random init, non-symmetric targets, sensing): measured
 * and reported with their observed frequency, never asserted as theorems.
 */
export interface Observation {
  name: string;
  claim: string;
  /** Runs one generated case; returns whether the claim was observed, with one line of numbers. */
  observe(seed: number): Promise<{ holds: boolean; detail: string }>;
}

export interface ObservationReport {
  name: string;
  claim: string;
  holds: number;
  total: number;
  seconds: number;
  details: string[];
}

/** Step at which σ_i first reaches θ·s_i (−1 if never), for the top r target values. */
function reachSteps(result: RunResult, r: number, theta = 0.5): number[] {
  const target = result.target.singularValues;
  return Array.from({ length: r }, (_, i) => {
    const t = result.singularValues.findIndex((row) => row[i] >= theta * target[i]);
    return t < 0 ? -1 : result.steps[t];
  });
}

const inOrder = (steps: number[]) => steps.every((s, i) => s >= 0 && (i === 0 || s >= steps[i - 1]));

function randomSpectrum(seed: number, r: number): number[] {
  const rng = createRng(seed);
  const values = [4 + 6 * rng.uniform()];
  for (let i = 1; i < r; i++) values.push(values[i - 1] * (0.3 + 0.4 * rng.uniform()));
  return values;
}

const base = (seed: number, overrides: Partial<ExperimentSpecInput>): ExperimentSpecInput => ({
  n: 8,
  depth: 3,
  target: { kind: 'spectrum', eigenvalues: randomSpectrum(seed, 4), seed },
  init: { kind: 'gaussian', alpha: 0.1, seed: seed + 1 },
  stepSize: 0.004,
  steps: 4000,
  log: { every: 10 },
  engine: 'matrix',
  ...overrides,
});

const smallInitKeepsOrder: Observation = {
  name: 'order-small-vs-large-init',
  claim: 'Gaussian init with α = 0.1 learns the singular values in order; α = 1 scrambles the order',
  async observe(seed) {
    const small = await runExperiment(parseSpec(base(seed, {})));
    const large = await runExperiment(parseSpec(base(seed, { init: { kind: 'gaussian', alpha: 1, seed: seed + 1 } })));
    const a = reachSteps(small, 4);
    const b = reachSteps(large, 4);
    return { holds: inOrder(a) && !inOrder(b), detail: `α = 0.1: K = [${a.join(',')}], α = 1: K = [${b.join(',')}]` };
  },
};

const depthSharpensPlateaus: Observation = {
  name: 'depth-sharpens-plateaus',
  claim: 'Deeper factorizations (N = 3 against N = 2, same product scale) spend more of the run on low-rank plateaus',
  async observe(seed) {
    const lengths: number[] = [];
    for (const depth of [2, 3]) {
      const alpha = Math.pow(1e-3, 1 / depth) * Math.sqrt(8);
      const result = await runExperiment(parseSpec(base(seed, { depth, init: { kind: 'gaussian', alpha, seed: seed + 1 }, steps: 6000 })));
      const covered = result.measured.plateaus.filter((p) => p.L < result.targetEffectiveRanks.length).reduce((s, p) => s + p.end - p.start, 0);
      lengths.push(covered / result.spec.steps);
    }
    return { holds: lengths[1] > lengths[0], detail: `plateau fraction N = 2: ${lengths[0].toFixed(3)}, N = 3: ${lengths[1].toFixed(3)}` };
  },
};

const approachesBestRankL: Observation = {
  name: 'approaches-best-rank-L',
  claim: 'From a small Gaussian init on a non-symmetric target, W(k) passes close to Ŵ_1, then to Ŵ_2 (Frobenius)',
  async observe(seed) {
    const result = await runExperiment(
      parseSpec(base(seed, { target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0.01, seed, symmetric: false }, stepSize: 0.01, steps: 4000, depth: 3 })),
    );
    const closest = [0, 1].map((l) => {
      const d = result.distanceToBestRank.map((row) => row[l]);
      const i = d.indexOf(Math.min(...d));
      return { step: result.steps[i], relative: d[i] / d[0] };
    });
    const holds = closest[0].step < closest[1].step && closest.every((c) => c.relative < 0.25);
    return { holds, detail: closest.map((c, l) => `Ŵ_${l + 1}: min ‖W − Ŵ_L‖/‖Ŵ_L‖ ${c.relative.toFixed(3)} at step ${c.step}`).join(', ') };
  },
};

const sensingRecovers: Observation = {
  name: 'sensing-recovers-low-rank',
  claim: 'Matrix sensing with m = n²/2 Gaussian measurements and a small Gaussian init recovers a rank-2 W* (relative error < 0.1)',
  async observe(seed) {
    const result = await runExperiment(
      parseSpec(base(seed, { target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0, seed, symmetric: false }, problem: { kind: 'sensing', measurements: 32, seed: seed + 2 }, stepSize: 0.02, steps: 3000 })),
    );
    const error = result.distanceToBestRank.at(-1)![1] / result.distanceToBestRank[0][1];
    return { holds: error < 0.1, detail: `relative error to W* ${error.toFixed(4)}` };
  },
};

export const observations: Observation[] = [smallInitKeepsOrder, depthSharpensPlateaus, approachesBestRankL, sensingRecovers];

/**
 * Case seeds stay in the range of spec seeds (≤ 2³¹ − 1) with the `+ 2` that `observe` adds:
 * `seed · 1000 + i` wraps around instead of leaving it (every seed `dfl check` accepts works).
 */
const CASE_SEED_MODULUS = 2 ** 31 - 3;

export async function runObservation(observation: Observation, cases: number, seed: number): Promise<ObservationReport> {
  const started = performance.now();
  const details: string[] = [];
  let holds = 0;
  for (let i = 0; i < cases; i++) {
    const r = await observation.observe((seed * 1000 + i) % CASE_SEED_MODULUS);
    if (r.holds) holds++;
    details.push(r.detail);
  }
  return { name: observation.name, claim: observation.claim, holds, total: cases, seconds: (performance.now() - started) / 1000, details };
}

export function formatObservation(report: ObservationReport): string {
  return `observed ${report.name.padEnd(26)} ${report.holds}/${report.total} cases (${((100 * report.holds) / Math.max(report.total, 1)).toFixed(0)}%)  ${report.seconds.toFixed(1)} s — ${report.claim}`;
}
