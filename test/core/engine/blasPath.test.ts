import { describe, expect, it } from 'vitest';
import { BlasDynamics, BlasFactorization } from '../../../core/engine/blasPath';
import type { ProblemData } from '../../../core/engine/matrixPath';
import { rankReferences } from '../../../core/engine/reference';
import type { Blas } from '../../../core/linalg/accelerators';
import { fromRows, type DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';
import { buildTarget } from '../../../core/targets/buildTarget';
import { loadNative, nativeAccelerators } from '../../../native/loader';
import { fullMatrixGradientDescentFrom } from '../../../property-tests/reference';
import { spectrumSpec } from '../../helpers/specs';

// The matrix path on a BLAS passed in: one step of docs/theory.md (1.2) checked by hand on 2×2
// factors, the three problems' gradients of §1, and longer runs against plain float64 gradient
// descent. It runs on a BLAS written here (row-major, float64 sums rounded once to float32) and,
// where the native module is built, on its OpenBLAS or builtin kernel.

/** C = α·op(A)·op(B) + β·C, row-major, A m×k and B k×n after op. */
const jsBlas: Blas = {
  description: 'test BLAS',
  sgemm(ta, tb, m, n, k, alpha, a, b, beta, c) {
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++) s += (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
        out[i * n + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * n + j]);
      }
    c.set(out);
  },
  sgemv(trans, m, n, alpha, a, x, beta, y) {
    const rows = trans ? n : m;
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      if (trans) for (let l = 0; l < m; l++) s += a[l * n + i] * x[l];
      else for (let l = 0; l < n; l++) s += a[i * n + l] * x[l];
      out[i] = alpha * s + (beta === 0 ? 0 : beta * y[i]);
    }
    y.set(out);
  },
};

const native = loadNative();
const blases: [string, Blas][] = [['the test BLAS', jsBlas], ...(native ? [['the native BLAS', nativeAccelerators(native).blas] as [string, Blas]] : [])];

const f32 = (rows: number[][]) => Float32Array.from(rows.flat());
const estimation = (hat: number[][]): ProblemData => ({ kind: 'estimation', hat: f32(hat) });

describe.each(blases)('BlasFactorization on %s', (_, blas) => {
  it('takes one step of (1.2) as computed by hand for N = 2, n = 2', () => {
    // W = W₂W₁ = [[2, 2], [1, 2]], G = W − Ŵ = [[1, 2], [1, 1]], ∇W₂ = G W₁ᵀ = [[3, 2], [2, 1]],
    // ∇W₁ = W₂ᵀ G = [[3, 5], [1, 1]]; η = ½. Every number is exact in float32.
    const w1 = f32([[1, 1], [0, 1]]);
    const w2 = f32([[2, 0], [1, 1]]);
    const run = new BlasFactorization(blas, [w1, w2], 2, estimation([[1, 0], [0, 1]]), 0.5);
    expect(Array.from(run.product())).toEqual([2, 2, 1, 2]);
    expect(run.loss()).toBe(3.5); // ½‖G‖² = ½(1 + 4 + 1 + 1)
    run.advance(1);
    expect(Array.from(run.factors[0])).toEqual([-0.5, -1.5, -0.5, 0.5]);
    expect(Array.from(run.factors[1])).toEqual([0.5, -1, 0, 0.5]);
    // W' = [[0.25, −1.25], [−0.25, 0.25]]: the loss falls from 3.5 to ½(0.5625 + 1.5625 + 0.0625 + 0.5625).
    expect(Array.from(run.product())).toEqual([0.25, -1.25, -0.25, 0.25]);
    expect(run.loss()).toBe(1.375);
  });

  it('masks the gradient for completion: W ← W − η·P_Ω(W − Ŵ) for N = 1', () => {
    const run = new BlasFactorization(blas, [f32([[1, 2], [3, 4]])], 2, { kind: 'completion', hat: f32([[0, 0], [1, 1]]), mask: f32([[1, 0], [0, 1]]) }, 0.25);
    // Only the observed entries (1, 1) and (2, 2) enter the loss: ½(1² + 3²).
    expect(run.loss()).toBe(5);
    run.advance(1);
    expect(Array.from(run.factors[0])).toEqual([1 - 0.25 * 1, 2, 3, 4 - 0.25 * 3]);
  });

  it('uses G = A*(A(W) − y) for sensing: a hand computation with two measurements, N = 1', () => {
    // Rows of the operator are vec(A_i) (already divided by √m). y = A(Ŵ) = (1, 2) for Ŵ = [[1, 0], [0, 2]].
    const operator = f32([[1, 0, 0, 0], [0, 0, 0, 1]]);
    const w = f32([[3, 5], [7, 4]]);
    const run = new BlasFactorization(blas, [w], 2, { kind: 'sensing', hat: f32([[1, 0], [0, 2]]), operator, measurements: 2 }, 0.5);
    // A(W) − y = (3 − 1, 4 − 2) = (2, 2): loss ½·8, gradient Aᵀ(2, 2) = [[2, 0], [0, 2]].
    expect(run.loss()).toBe(4);
    run.advance(1);
    expect(Array.from(run.factors[0])).toEqual([2, 5, 7, 3]);
  });

  it('follows float64 gradient descent within the float32 rounding of its 3N − 3 products per step', () => {
    const n = 5;
    const depth = 3;
    const steps = 30;
    const eta = 0.05;
    const rng = createRng(4);
    // Factors near the identity and a target of norm ~1: every norm in the run stays O(1).
    const start = Array.from({ length: depth }, () => Float32Array.from({ length: n * n }, (_, e) => (e % (n + 1) === 0 ? 1 : 0) + 0.1 * rng.gaussian()));
    const hat = Float32Array.from({ length: n * n }, () => 0.5 * rng.gaussian());
    const asDense = (data: Float32Array): DenseMatrix => ({ rows: n, cols: n, data: Float64Array.from(data) });
    const exact = fullMatrixGradientDescentFrom(asDense(hat), start.map(asDense), eta, steps);
    const run = new BlasFactorization(blas, start.map((f) => Float32Array.from(f)), n, { kind: 'estimation', hat }, eta);
    run.advance(steps);
    // Each step adds about (3N − 3)·n·u relative error (7.1, u = 2⁻²⁴) to factors of norm O(1),
    // and the step map near the identity amplifies it by at most (1 + η·‖Hessian‖) ≲ 2 per step:
    // 30·6·5·2⁻²⁴·2 ≈ 1e-4 bounds the entrywise error with room to spare.
    const tolerance = steps * (3 * depth - 3) * n * 2 ** -24 * 2;
    let worst = 0;
    run.product().forEach((x, i) => (worst = Math.max(worst, Math.abs(x - exact.data[i]))));
    expect(worst).toBeLessThan(tolerance);
    // Not vacuous: the run moved the product by far more than the tolerance.
    let moved = 0;
    const initial = fullMatrixGradientDescentFrom(asDense(hat), start.map(asDense), eta, 0);
    initial.data.forEach((x, i) => (moved = Math.max(moved, Math.abs(x - exact.data[i]))));
    expect(moved).toBeGreaterThan(100 * tolerance);
  });

  it('recomputes the product after a step and reuses it between steps', () => {
    const run = new BlasFactorization(blas, [f32([[1, 0], [0, 1]]), f32([[2, 0], [0, 2]])], 2, estimation([[1, 0], [0, 1]]), 0.125);
    const before = Array.from(run.product());
    expect(run.loss()).toBe(run.loss());
    run.advance(1);
    expect(Array.from(run.product())).not.toEqual(before);
    // Identity-like factors on Ŵ = I: W = 2I falls towards I, so the loss only decreases.
    let last = run.loss();
    for (let k = 0; k < 20; k++) {
      run.advance(1);
      expect(run.loss()).toBeLessThan(last);
      last = run.loss();
    }
  });
});

describe('BlasDynamics', () => {
  it('runs the spec’s factors on the BLAS: product, loss, balancedness, observation', () => {
    const spec = spectrumSpec({ n: 4, depth: 3, eigenvalues: [2, 1], init: { kind: 'identity', alpha: 0.5 }, stepSize: 0.05 });
    const target = buildTarget(spec);
    const dynamics = new BlasDynamics(jsBlas, target, rankReferences(target, spec.effectiveRank), spec.init, spec.problem, spec.depth, spec.stepSize);
    expect([dynamics.path, dynamics.backend, dynamics.precision]).toEqual(['matrix', 'native', 'float32']);
    // W(0) = (αI)³ = 0.125·I exactly.
    expect(Array.from(dynamics.product().data)).toEqual(Array.from(fromRows([[0.125, 0, 0, 0], [0, 0.125, 0, 0], [0, 0, 0.125, 0], [0, 0, 0, 0.125]]).data));
    const hat = target.matrix().data;
    const lossOf = (w: Float64Array) => 0.5 * w.reduce((s, x, i) => s + (x - hat[i]) ** 2, 0);
    expect(dynamics.loss()).toBeCloseTo(lossOf(dynamics.product().data), 6);
    // Equal factors are balanced: W_{j+1}ᵀW_{j+1} − W_jW_jᵀ = 0 for both pairs.
    expect(Array.from(dynamics.balancedness())).toEqual([0, 0]);
    const first = dynamics.loss();
    dynamics.advance(50);
    const o = dynamics.observe();
    expect(o.loss).toBeLessThan(first);
    expect(o.loss).toBeCloseTo(lossOf(dynamics.product().data), 6);
    expect(o.singularValues).toHaveLength(4);
    expect(o.distances.length).toBeGreaterThan(0);
    // Identity init on a symmetric target stays balanced up to float32 rounding (Theorem 2.1).
    expect(Math.max(...dynamics.balancedness())).toBeLessThan(1e-5);
    dynamics.dispose();
  });
});

describe.skipIf(!native)('BlasFactorization on the native module’s steps in C (factorAdvance)', () => {
  const withSteps = native ? nativeAccelerators(native).blas : jsBlas;
  // The same OpenBLAS without the C steps: the loop above, one sgemm call at a time.
  const sgemmOnly: Blas = { description: 'native sgemm only', sgemm: (...a) => withSteps.sgemm(...a), sgemv: (...a) => withSteps.sgemv(...a) };

  it.each([
    [1, 1, 'estimation'],
    [3, 2, 'completion'],
    [8, 3, 'estimation'],
    [17, 5, 'completion'],
    [33, 3, 'estimation'],
  ] as const)('gives the factors of the JavaScript loop bit for bit: n = %i, N = %i, %s', (n, depth, kind) => {
    expect(typeof withSteps.factorAdvance).toBe('function');
    const rng = createRng(n * 100 + depth);
    const draw = (scale: number) => Float32Array.from({ length: n * n }, () => scale * rng.gaussian());
    const hat = draw(1);
    const mask = Float32Array.from({ length: n * n }, () => (rng.uniform() < 0.6 ? 1 : 0));
    const problem: ProblemData = kind === 'estimation' ? { kind, hat } : { kind, hat, mask };
    const factors = Array.from({ length: depth }, () => draw(0.7 / Math.sqrt(n) + 0.3));
    const inC = new BlasFactorization(withSteps, factors.map((f) => f.slice()), n, problem, 0.1); // η = 0.1: not a float32
    const inJs = new BlasFactorization(sgemmOnly, factors.map((f) => f.slice()), n, problem, 0.1);
    for (const count of [1, 0, 6, 3]) {
      inC.advance(count);
      inJs.advance(count);
      inC.factors.forEach((f, j) => expect(Buffer.from(f.buffer).equals(Buffer.from(inJs.factors[j].buffer)), `factor ${j} after ${count} more steps`).toBe(true));
      expect(inC.loss()).toBe(inJs.loss());
    }
    expect(inC.factors[0]).not.toEqual(factors[0]); // the steps moved them
  });

  it('refuses arrays of the wrong shape with one line', () => {
    const f = new Float32Array(4);
    expect(() => native!.factorAdvance!([f], [new Float32Array(4)], f, null, f, f, 2, 0.1, 1, false)).toThrow(/factorAdvance: bad shapes or arrays/);
    expect(() => native!.factorAdvance!([f, f], [f], f, null, f, f, 2, 0.1, 1, false)).toThrow(/factorAdvance: bad shapes or arrays/);
    expect(() => native!.factorAdvance!([f], [f], new Float32Array(3), null, f, f, 2, 0.1, 1, false)).toThrow(/factorAdvance: bad shapes or arrays/);
  });
});
