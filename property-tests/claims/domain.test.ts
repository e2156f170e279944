import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimFileSchema, type ClaimFile } from '../../core/claims/schema';
import { runExperiment } from '../../core/engine/runExperiment';
import { InputError } from '../../core/errors';
import { parseSpec } from '../../core/spec/parseSpec';
import { checkHypotheses, stepSizeBound } from '../../core/theory/hypotheses';
import { specEigenvalues } from '../../core/theory/predictPlateaus';
import { axisKind, buildCaseSpec, domainArbitrary, type ClaimCase } from './domain';

const EXAMPLE = path.resolve(__dirname, '../../claims/examples/entropy-rank-never-rises.dfl-claim.json');

/** A claim over `generate` (and `variants`) on a small identity-init spectrum base. */
function claim(generate: Record<string, unknown>, variants: Record<string, Record<string, unknown>> = {}, base: Record<string, unknown> = {}): ClaimFile {
  return claimFileSchema.parse({
    name: 'c',
    kind: 'theorem',
    statement: 's',
    domain: { base: { n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 50, ...base }, generate },
    variants,
    expect: 'true',
  });
}

const sample = (c: ClaimFile, numRuns = 200, seed = 7): ClaimCase[] => fc.sample(domainArbitrary(c), { numRuns, seed });

const positivesOf = (spec: ClaimCase['spec']) => (spec.target.kind === 'spectrum' ? spec.target.eigenvalues.filter((l) => l > 0) : []);
const eigenvaluesOf = (spec: ClaimCase['spec']) => (spec.target.kind === 'spectrum' ? spec.target.eigenvalues : []);

describe('axisKind', () => {
  it('names a generator by its first key, a list of choices "list"', () => {
    expect(axisKind({ integer: [1, 2] })).toBe('integer');
    expect(axisKind({ learnSmallest: 1.5, max: 10 })).toBe('learnSmallest');
    expect(axisKind([1, 2])).toBe('list');
  });
});

describe('domainArbitrary: generated values stay in their generators\' ranges', () => {
  it('integer, choices, seeds, uniform and logUniform', () => {
    const cases = sample(claim({ n: { integer: [2, 5] }, 'init.kind': ['identity', 'orthogonal'], 'target.seed': { seeds: 3, from: 10 }, epsilon: { uniform: [0.05, 0.2] }, 'init.alpha': { logUniform: [1e-3, 1e-1] } }));
    const ns = new Set(cases.map((c) => c.spec.n));
    expect([...ns].sort()).toEqual([2, 3, 4, 5]);
    expect(new Set(cases.map((c) => c.spec.init.kind))).toEqual(new Set(['identity', 'orthogonal']));
    expect(new Set(cases.map((c) => (c.spec.target as { seed: number }).seed))).toEqual(new Set([10, 11, 12]));
    for (const { spec } of cases) {
      expect(spec.epsilon).toBeGreaterThanOrEqual(0.05);
      expect(spec.epsilon).toBeLessThanOrEqual(0.2);
      expect(spec.init.alpha).toBeGreaterThanOrEqual(1e-3 * (1 - 1e-12));
      expect(spec.init.alpha).toBeLessThanOrEqual(1e-1 * (1 + 1e-12));
    }
  });

  it('an integer range given high end first is the same range', () => {
    expect(new Set(sample(claim({ depth: { integer: [4, 2] } }), 100).map((c) => c.spec.depth))).toEqual(new Set([2, 3, 4]));
  });

  it('spectrum: descending positives with gaps in the ratio range, then zeros, then negatives', () => {
    const cases = sample(claim({ n: [12], 'target.eigenvalues': { spectrum: { positives: [2, 4], top: [2, 8], ratio: [0.2, 0.5], zeros: [1, 2], negatives: [1, 2] } } }));
    const counts = new Set<string>();
    for (const { spec } of cases) {
      const values = eigenvaluesOf(spec);
      const positives = values.filter((l) => l > 0);
      const zeros = values.filter((l) => l === 0);
      const negatives = values.filter((l) => l < 0);
      counts.add(`${positives.length}/${zeros.length}/${negatives.length}`);
      // In that order: positives, zeros, negatives, each part descending.
      expect(values).toEqual([...positives, ...zeros, ...negatives]);
      expect([...values].sort((a, b) => b - a)).toEqual(values);
      expect(positives.length).toBeGreaterThanOrEqual(2);
      expect(positives.length).toBeLessThanOrEqual(4);
      expect(zeros.length).toBeGreaterThanOrEqual(1);
      expect(zeros.length).toBeLessThanOrEqual(2);
      expect(negatives.length).toBeGreaterThanOrEqual(1);
      expect(negatives.length).toBeLessThanOrEqual(2);
      expect(positives[0]).toBeGreaterThanOrEqual(2);
      expect(positives[0]).toBeLessThanOrEqual(8);
      for (let k = 1; k < positives.length; k++) {
        expect(positives[k] / positives[k - 1]).toBeGreaterThanOrEqual(0.2 - 1e-12);
        expect(positives[k] / positives[k - 1]).toBeLessThanOrEqual(0.5 + 1e-12);
      }
      for (const l of negatives) {
        expect(l).toBeGreaterThanOrEqual(-5);
        expect(l).toBeLessThanOrEqual(-0.1);
      }
    }
    // Every combination of the counts is drawn.
    expect(counts.size).toBe(3 * 2 * 2);
  });

  it('spectrum: near-ties, all of them at nearTies 1, some at ½', () => {
    for (const { spec } of sample(claim({ n: [12], 'target.eigenvalues': { spectrum: { positives: [3, 3], nearTies: 1 } } }), 100)) {
      const p = positivesOf(spec);
      expect(p).toHaveLength(3);
      for (let k = 1; k < p.length; k++) {
        expect(p[k] / p[k - 1]).toBeGreaterThanOrEqual(0.97 - 1e-12);
        expect(p[k] / p[k - 1]).toBeLessThanOrEqual(0.999 + 1e-12);
      }
    }
    const ratios = sample(claim({ n: [12], 'target.eigenvalues': { spectrum: { positives: [3, 3], ratio: [0.2, 0.5], nearTies: 0.5 } } }), 200).flatMap(({ spec }) => {
      const p = positivesOf(spec);
      return p.slice(1).map((x, k) => x / p[k]);
    });
    const ties = ratios.filter((r) => r >= 0.97).length;
    expect(ratios.every((r) => (r >= 0.2 - 1e-12 && r <= 0.5 + 1e-12) || (r >= 0.97 - 1e-12 && r <= 0.999 + 1e-12))).toBe(true);
    expect(ties / ratios.length).toBeGreaterThan(0.3);
    expect(ties / ratios.length).toBeLessThan(0.7);
  });

  it('spectrum: cut to n entries', () => {
    for (const { spec } of sample(claim({ n: { integer: [2, 3] }, 'target.eigenvalues': { spectrum: { positives: [4, 4], zeros: [2, 2] } } }), 50)) {
      expect(eigenvaluesOf(spec)).toHaveLength(spec.n);
      expect(eigenvaluesOf(spec).every((l) => l > 0)).toBe(true);
    }
  });

  it('productLogUniform: α^N in the range, whatever depth is drawn', () => {
    const cases = sample(claim({ depth: { integer: [1, 4] }, 'init.alpha': { productLogUniform: [1e-4, 1e-2] } }));
    expect(new Set(cases.map((c) => c.spec.depth)).size).toBe(4);
    for (const { spec } of cases) {
      const product = Math.pow(spec.init.alpha, spec.depth);
      expect(product).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-9));
      expect(product).toBeLessThanOrEqual(1e-2 * (1 + 1e-9));
    }
  });

  it('fractionOfBound: the step size is that fraction of (4.1) and within (4.5), (4.6): the hypotheses hold', () => {
    const cases = sample(
      claim({
        depth: { integer: [1, 4] },
        'target.eigenvalues': { spectrum: { positives: [1, 3], top: [1, 10], zeros: [0, 1], negatives: [0, 1] } },
        'init.alpha': { productLogUniform: [1e-4, 1e-1] },
        stepSize: { fractionOfBound: [0.2, 0.95] },
      }),
    );
    let onlyPositives = 0;
    for (const { spec } of cases) {
      const values = eigenvaluesOf(spec);
      const fraction = spec.stepSize / stepSizeBound(Math.max(...values), spec.depth);
      expect(fraction).toBeLessThanOrEqual(0.95 + 1e-9);
      if (values.every((l) => l > Math.pow(spec.init.alpha, spec.depth))) {
        // Only (4.1) binds.
        onlyPositives++;
        expect(fraction).toBeGreaterThanOrEqual(0.2 - 1e-9);
      }
      expect(checkHypotheses(spec, specEigenvalues(spec)), JSON.stringify(spec)).toMatchObject({ met: true });
    }
    expect(onlyPositives).toBeGreaterThan(20);
  });

  it('learnSmallest: enough steps for the smallest positive eigenvalue to be learned (Theorem 4.1), capped by max', async () => {
    const c = claim({
      n: { integer: [2, 4] },
      depth: { integer: [1, 3] },
      'target.eigenvalues': { spectrum: { positives: [1, 3], top: [1, 4], ratio: [0.3, 0.6] } },
      'init.alpha': { productLogUniform: [1e-3, 1e-2] },
      stepSize: { fractionOfBound: [0.5, 1] },
      steps: { learnSmallest: 1.1, max: 50_000 },
    }, {}, { log: { every: 1 } });
    const cases = sample(c, 8, 3);
    for (const { spec } of cases) {
      expect(spec.steps).toBeGreaterThanOrEqual(10);
      expect(spec.steps).toBeLessThanOrEqual(50_000);
      const result = await runExperiment(spec);
      const smallest = Math.min(...positivesOf(spec));
      const c = result.target.singularValues.findIndex((s) => Math.abs(s - smallest) < 1e-9 * smallest);
      // Learned (σ_c ≥ 0.999·λ_c) by the last step.
      expect(result.singularValues.at(-1)![c], JSON.stringify(spec)).toBeGreaterThanOrEqual(0.999 * smallest * (1 - 1e-6));
    }
    // A cap below the bound: the cap.
    for (const { spec } of sample(claim({ 'init.alpha': { productLogUniform: [1e-6, 1e-6] }, stepSize: { fractionOfBound: [0.1, 0.1] }, steps: { learnSmallest: 2, max: 40 } }), 5)) expect(spec.steps).toBe(40);
    // At least 10 steps, even when nothing is left to learn (α^N above the smallest eigenvalue).
    for (const { spec } of sample(claim({ 'init.alpha': { productLogUniform: [2, 2] }, steps: { learnSmallest: 2 } }), 5)) expect(spec.steps).toBe(10);
  });
});

describe('domainArbitrary: variants', () => {
  it('re-apply the derived generators with the variant\'s fields: the same α^N and fraction at another depth', () => {
    const cases = sample(
      claim(
        { depth: { integer: [2, 3] }, 'init.alpha': { productLogUniform: [1e-4, 1e-2] }, stepSize: { fractionOfBound: [0.2, 0.8] }, 'target.eigenvalues': { spectrum: { positives: [2, 3] } } },
        { deep: { depth: 5 }, wide: { n: 8 } },
      ),
      50,
    );
    for (const { spec, variants } of cases) {
      const deep = variants.deep;
      expect(deep.depth).toBe(5);
      expect(Math.pow(deep.init.alpha, 5)).toBeCloseTo(Math.pow(spec.init.alpha, spec.depth), 12);
      const lambdaMax = Math.max(...eigenvaluesOf(spec));
      expect(deep.stepSize / stepSizeBound(lambdaMax, 5)).toBeCloseTo(spec.stepSize / stepSizeBound(lambdaMax, spec.depth), 9);
      // The other fields are the case's.
      expect(deep.target).toEqual(spec.target);
      expect(variants.wide.n).toBe(8);
      expect(variants.wide.init.alpha).toBe(spec.init.alpha);
    }
  });
});

describe('buildCaseSpec', () => {
  it('every generated case of the example claim is a valid spec that parses to itself', () => {
    const example = claimFileSchema.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    for (const { spec } of sample(example, 100)) {
      expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
      expect(spec.n).toBeGreaterThanOrEqual(2);
      expect(spec.n).toBeLessThanOrEqual(12);
    }
  });

  it('throws the spec parser\'s InputError for a domain that generates invalid specs', () => {
    const bad = claim({ n: { integer: [-1, 0] } });
    expect(() => buildCaseSpec(bad.domain, { n: 0 })).toThrow(InputError);
    expect(() => buildCaseSpec(bad.domain, { n: 0 })).toThrow(/^spec\.n/);
    expect(() => sample(bad, 5)).toThrow(InputError);
  });

  it('sets a dotted path inside an object of the base without changing the base', () => {
    const c = claim({ 'target.seed': [5] });
    const spec = buildCaseSpec(c.domain, { 'target.seed': 5 });
    expect(spec.target).toMatchObject({ kind: 'spectrum', eigenvalues: [4, 1], seed: 5 });
    expect(c.domain.base.target).toEqual({ kind: 'spectrum', eigenvalues: [4, 1] });
  });
});

describe('shrinking', () => {
  it('shrinks towards the low ends: small n, shallow depth, few and small spectrum entries, small seeds', () => {
    const c = claim({
      n: { integer: [2, 12] },
      depth: { integer: [1, 4] },
      'target.seed': { seeds: 100, from: 7 },
      'target.eigenvalues': { spectrum: { positives: [1, 4], top: [1, 10], zeros: [0, 2], negatives: [0, 2] } },
    });
    // Fails on every case: fast-check shrinks as far as the generators go.
    const details = fc.check(fc.property(domainArbitrary(c), () => false), { seed: 1, numRuns: 10 });
    expect(details.failed).toBe(true);
    const { spec } = details.counterexample![0] as ClaimCase;
    expect(spec.n).toBe(2);
    expect(spec.depth).toBe(1);
    expect((spec.target as { seed: number }).seed).toBe(7);
    expect(eigenvaluesOf(spec)).toEqual([1]);
    // Fails only from n = 5 up: shrinks to n = 5 exactly.
    const five = fc.check(fc.property(domainArbitrary(c), (x) => x.spec.n < 5), { seed: 1, numRuns: 100 });
    expect((five.counterexample![0]).spec.n).toBe(5);
  });
});
