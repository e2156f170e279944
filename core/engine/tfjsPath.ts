import * as tf from '@tensorflow/tfjs-core';
import type { DenseMatrix } from '../linalg/dense';
import type { SingularValueRoutine } from '../linalg/accelerators';
import type { InitSpec, ProblemSpec } from '../spec/schema';
import type { Target } from '../targets/target';
import { balancedness } from './balancedness';
import { initialFactors, MatrixPathDynamics, problemData, type ProblemData } from './matrixPath';
import type { RankReferences } from './reference';

// The matrix path on tfjs (./matrixPath.ts has what it shares with the native BLAS path): in its
// own module, so that the command line, which runs on the native BLAS, starts without loading
// tfjs (runExperiment imports it only when a run needs it).

/**
 * The residual's gradient with respect to the product, G = ∂L/∂W, and the loss, for the three
 * problems of docs/theory.md §1, as tfjs ops. Owns its tensors (target, mask, sensing operator).
 */
interface Problem {
  gradient(w: tf.Tensor2D): tf.Tensor2D;
  loss(w: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

function makeProblem(data: ProblemData, n: number): Problem {
  const hat = tf.tensor2d(data.hat, [n, n], 'float32');
  switch (data.kind) {
    case 'estimation':
      return {
        gradient: (w) => tf.sub(w, hat),
        loss: (w) => tf.mul(0.5, tf.sum(tf.square(tf.sub(w, hat)))),
        dispose: () => hat.dispose(),
      };
    case 'completion': {
      const mask = tf.tensor2d(data.mask, [n, n], 'float32');
      return {
        gradient: (w) => tf.mul(mask, tf.sub(w, hat)),
        loss: (w) => tf.mul(0.5, tf.sum(tf.square(tf.mul(mask, tf.sub(w, hat))))),
        dispose: () => tf.dispose([hat, mask]),
      };
    }
    case 'sensing': {
      const m = data.measurements;
      const a = tf.tensor2d(data.operator, [m, n * n], 'float32');
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
 * One gradient step of the factors (docs/theory.md (1.2)) from the prefix products
 * P_0 = W_1, …, P_{N−1} = W and the product's gradient G: B_N = G, B_j = W_{j+1}ᵀ B_{j+1},
 * ∇_{W_j} L = B_j P_{j−1}ᵀ, W_j ← W_j − η ∇_{W_j} L. For one run (n × n) or a batch of them
 * ([B, n, n], η of shape [B, 1, 1]: ./tfjsBatchKernel.ts), the same ops in the same order.
 */
export function factorStep<T extends tf.Tensor2D | tf.Tensor3D>(factors: readonly T[], prefix: readonly T[], productGradient: T, eta: tf.Tensor): T[] {
  const N = factors.length;
  let b = productGradient;
  const next = new Array<T>(N);
  for (let j = N - 1; j >= 0; j--) {
    const grad = j === 0 ? b : tf.matMul<T>(b, prefix[j - 1], false, true);
    next[j] = tf.sub<T>(factors[j], tf.mul(eta, grad));
    if (j > 0) b = tf.matMul<T>(factors[j], b, true, false);
  }
  return next;
}

/**
 * The matrix path on tfjs: full gradient descent on the N factors in float32 with tfjs-core ops
 * on whichever backend is active (webgl in the webview, wasm or cpu in Node). The same step on a
 * native BLAS is `BlasDynamics` (./blasPath.ts).
 *
 * One step (docs/theory.md (1.2)): prefix products P_j = W_j ⋯ W_1, the product's gradient
 * G, then B_N = G, B_j = W_{j+1}ᵀ B_{j+1}, and ∇_{W_j} L = B_j P_{j−1}ᵀ: N − 1 + 2(N − 1) = 3N − 3 matrix products,
 * all inside one tf.tidy, the old factors disposed after the new ones exist. The prefix products
 * computed for `loss`, `product` or `observe` are kept until the next step and reused by it, so a
 * loss read between chunks costs no extra matrix product. Nothing is read back from the backend
 * except by `loss`, `product` and `observe`.
 */
export class TfjsDynamics extends MatrixPathDynamics {
  readonly backend: string;
  private factors: tf.Tensor2D[] = [];
  /** P_1 … P_{N−1} of the current factors, or null when stale. */
  private prefixCache: tf.Tensor2D[] | null = null;
  private readonly problem: Problem;
  private readonly stepSize: tf.Scalar;

  constructor(target: Target, references: RankReferences, init: InitSpec, problem: ProblemSpec, depth: number, stepSize: number, svd?: SingularValueRoutine) {
    super(target, references, svd);
    const n = target.n;
    this.backend = tf.getBackend();
    this.factors = initialFactors(init, n, depth, target).map((f) => tf.tensor2d(Float32Array.from(f.data), [n, n], 'float32'));
    this.problem = makeProblem(problemData(problem, target), n);
    this.stepSize = tf.scalar(stepSize, 'float32');
  }

  /** [P_0 = W_1, P_1, …, P_{N−1}] of the current factors; cached until the next step. */
  private prefixes(): tf.Tensor2D[] {
    if (!this.prefixCache) {
      const f = this.factors;
      this.prefixCache = f.length < 2 ? [] : tf.tidy(() => {
        const out: tf.Tensor2D[] = [];
        let p = f[0];
        for (let j = 1; j < f.length; j++) out.push((p = tf.matMul(f[j], p)));
        return out;
      });
    }
    return [this.factors[0], ...this.prefixCache];
  }

  private dropPrefixCache(): void {
    if (this.prefixCache) tf.dispose(this.prefixCache);
    this.prefixCache = null;
  }

  advance(count: number): void {
    const problem = this.problem;
    const eta = this.stepSize;
    for (let k = 0; k < count; k++) {
      const old = this.factors;
      const prefix = this.prefixes();
      this.factors = tf.tidy(() => factorStep(old, prefix, problem.gradient(prefix[old.length - 1]), eta));
      this.dropPrefixCache();
      tf.dispose(old);
    }
  }

  loss(): number {
    const prefix = this.prefixes();
    const lossTensor = tf.tidy(() => this.problem.loss(prefix[prefix.length - 1]));
    const loss = lossTensor.dataSync()[0];
    lossTensor.dispose();
    return loss;
  }

  product(): DenseMatrix {
    const n = this.target.n;
    const prefix = this.prefixes();
    return { rows: n, cols: n, data: Float64Array.from(prefix[prefix.length - 1].dataSync()) };
  }

  balancedness(): Float64Array {
    return balancedness(this.factors.map((f) => f.dataSync()), this.target.n);
  }

  dispose(): void {
    this.dropPrefixCache();
    tf.dispose(this.factors);
    this.factors = [];
    this.problem.dispose();
    this.stepSize.dispose();
  }
}
