import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors';
import { identity, scale, zeros, type DenseMatrix } from '../linalg/dense';
import { randomOrthogonal, singularValues } from '../linalg/decompositions';
import { createRng } from '../random';
import type { InitSpec, ProblemSpec } from '../spec/schema';
import type { Target } from '../targets/target';
import type { Dynamics, Observation } from './dynamics';
import type { RankReferences } from './reference';

/** Largest sensing operator, m·n² entries (float32, 4 bytes each: 256 MB). */
export const MAX_SENSING_ENTRIES = 64 * 1024 * 1024;

function toTensor(m: DenseMatrix): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols], 'float32');
}

/** Initial factors W_1(0) … W_N(0) in float64, from the init spec (docs/theory.md §1). */
export function initialFactors(init: InitSpec, n: number, depth: number): DenseMatrix[] {
  switch (init.kind) {
    case 'identity':
      return Array.from({ length: depth }, () => identity(n, init.alpha));
    case 'gaussian': {
      const rng = createRng(init.seed);
      const sd = init.alpha / Math.sqrt(n);
      return Array.from({ length: depth }, () => {
        const m = zeros(n, n);
        for (let i = 0; i < m.data.length; i++) m.data[i] = sd * rng.gaussian();
        return m;
      });
    }
    case 'orthogonal': {
      const rng = createRng(init.seed);
      return Array.from({ length: depth }, () => scale(randomOrthogonal(n, rng), init.alpha));
    }
  }
}

/**
 * The residual's gradient with respect to the product, G = ∂L/∂W, and the loss, for the three
 * problems of docs/theory.md §1. Owns its tensors (target, mask, sensing operator).
 */
interface Problem {
  gradient(w: tf.Tensor2D): tf.Tensor2D;
  loss(w: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

function makeProblem(spec: ProblemSpec, target: Target): Problem {
  const n = target.n;
  const hat = toTensor(target.matrix());
  switch (spec.kind) {
    case 'estimation':
      return {
        gradient: (w) => tf.sub(w, hat),
        loss: (w) => tf.mul(0.5, tf.sum(tf.square(tf.sub(w, hat)))),
        dispose: () => hat.dispose(),
      };
    case 'completion': {
      const rng = createRng(spec.seed);
      const maskValues = new Float32Array(n * n);
      for (let i = 0; i < maskValues.length; i++) maskValues[i] = rng.uniform() < spec.observed ? 1 : 0;
      const mask = tf.tensor2d(maskValues, [n, n]);
      return {
        gradient: (w) => tf.mul(mask, tf.sub(w, hat)),
        loss: (w) => tf.mul(0.5, tf.sum(tf.square(tf.mul(mask, tf.sub(w, hat))))),
        dispose: () => tf.dispose([hat, mask]),
      };
    }
    case 'sensing': {
      const m = spec.measurements;
      if (m * n * n > MAX_SENSING_ENTRIES)
        throw new InputError(`spec.problem.measurements: ${m} measurements of a ${n}×${n} matrix need ${m * n * n} operator entries (limit ${MAX_SENSING_ENTRIES})`);
      // A(X)_i = ⟨A_i, X⟩/√m with i.i.d. N(0, 1) entries: rows of `a` are vec(A_i)/√m.
      const rng = createRng(spec.seed);
      const values = new Float32Array(m * n * n);
      const s = 1 / Math.sqrt(m);
      for (let i = 0; i < values.length; i++) values[i] = s * rng.gaussian();
      const a = tf.tensor2d(values, [m, n * n]);
      const y = tf.tidy(() => tf.matMul(a, tf.reshape(hat, [n * n, 1])));
      hat.dispose();
      const residual = (w: tf.Tensor2D) => tf.sub(tf.matMul(a, tf.reshape(w, [n * n, 1])), y);
      return {
        gradient: (w) => tf.reshape(tf.matMul(a, residual(w), true, false), [n, n]),
        loss: (w) => tf.mul(0.5, tf.sum(tf.square(residual(w)))),
        dispose: () => tf.dispose([a, y]),
      };
    }
  }
}

/**
 * The matrix path: full gradient descent on the N factors with tfjs-core ops, on whichever
 * backend is active (webgl in the webview, wasm or cpu in Node), float32.
 *
 * One step (docs/theory.md (1.2)): prefix products P_j = W_j ⋯ W_1, the product's gradient
 * G, then B_N = G, B_j = W_{j+1}ᵀ B_{j+1}, and ∇_{W_j} L = B_j P_{j−1}ᵀ: about 3N matrix
 * products, all inside one tf.tidy, the old factors disposed after the new ones exist.
 */
export class MatrixDynamics implements Dynamics {
  readonly path = 'matrix' as const;
  readonly backend: string;
  readonly precision = 'float32' as const;
  private factors: tf.Tensor2D[];
  private readonly problem: Problem;
  private readonly stepSize: tf.Scalar;

  constructor(
    private readonly target: Target,
    private readonly references: RankReferences,
    init: InitSpec,
    problem: ProblemSpec,
    private readonly depth: number,
    stepSize: number,
  ) {
    this.backend = tf.getBackend();
    this.factors = initialFactors(init, target.n, depth).map(toTensor);
    this.problem = makeProblem(problem, target);
    this.stepSize = tf.scalar(stepSize, 'float32');
  }

  private productTensor(factors: tf.Tensor2D[]): tf.Tensor2D {
    let p = factors[0];
    for (let j = 1; j < factors.length; j++) p = tf.matMul(factors[j], p);
    return p;
  }

  advance(count: number): void {
    for (let k = 0; k < count; k++) {
      const old = this.factors;
      this.factors = tf.tidy(() => {
        const N = old.length;
        const prefix: tf.Tensor2D[] = [old[0]];
        for (let j = 1; j < N; j++) prefix.push(tf.matMul(old[j], prefix[j - 1]));
        let b = this.problem.gradient(prefix[N - 1]);
        const next: tf.Tensor2D[] = new Array(N);
        for (let j = N - 1; j >= 0; j--) {
          const grad = j === 0 ? b : tf.matMul(b, prefix[j - 1], false, true);
          next[j] = tf.sub(old[j], tf.mul(this.stepSize, grad));
          if (j > 0) b = tf.matMul(old[j], b, true, false);
        }
        return next;
      });
      tf.dispose(old);
    }
  }

  loss(): number {
    const loss = tf.tidy(() => this.problem.loss(this.productTensor(this.factors)));
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  product(): DenseMatrix {
    const n = this.target.n;
    // Read back inside the tidy: for N = 1 the product is the factor itself, not a copy.
    let data = new Float64Array(0);
    tf.tidy(() => {
      data = Float64Array.from(this.productTensor(this.factors).dataSync());
    });
    return { rows: n, cols: n, data };
  }

  observe(): Observation {
    const loss = this.loss();
    const w = this.product();
    const n = this.target.n;
    let normSquared = 0;
    for (const x of w.data) normSquared += x * x;
    // ‖W − Ŵ_L‖² = ‖W‖² − 2 Σ_{l≤L} s_l u_lᵀ W v_l + Σ_{l≤L} s_l² (docs/theory.md §5).
    const s = this.references.values;
    const L = s.length;
    const distances = new Float64Array(L);
    if (L > 0) {
      const u = this.references.left();
      const v = this.references.right();
      let d = normSquared;
      for (let l = 0; l < L; l++) {
        let uwv = 0;
        for (let i = 0; i < n; i++) {
          let wv = 0;
          for (let j = 0; j < n; j++) wv += w.data[i * n + j] * v.data[j * v.cols + l];
          uwv += u.data[i * u.cols + l] * wv;
        }
        d += s[l] * s[l] - 2 * s[l] * uwv;
        distances[l] = Math.sqrt(Math.max(d, 0));
      }
    }
    let groundTruthError: number | undefined;
    if (this.target.groundTruth) {
      const t = this.target.groundTruth().data;
      let e = 0;
      for (let i = 0; i < t.length; i++) e += (w.data[i] - t[i]) ** 2;
      groundTruthError = Math.sqrt(e);
    }
    return { singularValues: singularValues(w), loss, distances, groundTruthError };
  }

  dispose(): void {
    tf.dispose(this.factors);
    this.factors = [];
    this.problem.dispose();
    this.stepSize.dispose();
  }
}
