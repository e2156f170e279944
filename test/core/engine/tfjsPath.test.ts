import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initialFactors } from '../../../core/engine/matrixPath';
import { rankReferences } from '../../../core/engine/reference';
import { factorStep, TfjsDynamics } from '../../../core/engine/tfjsPath';
import { buildTarget } from '../../../core/targets/buildTarget';
import { useNodeBackend } from '../../../node/platform';
import { fullMatrixGradientDescentFrom } from '../../../property-tests/reference';
import { spectrumSpec } from '../../helpers/specs';

describe('factorStep and TfjsDynamics on the cpu backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('factorStep takes one step of (1.2) as computed by hand for N = 2, n = 2, alone and batched', () => {
    // W₁ = [[1, 1], [0, 1]], W₂ = [[2, 0], [1, 1]], Ŵ = I: G = [[1, 2], [1, 1]],
    // ∇W₂ = G W₁ᵀ = [[3, 2], [2, 1]], ∇W₁ = W₂ᵀ G = [[3, 5], [1, 1]]; η = ½ (exact in float32).
    const expected = [[-0.5, -1.5, -0.5, 0.5], [0.5, -1, 0, 0.5]];
    const [one, batched] = tf.tidy(() => {
      const w1 = tf.tensor2d([[1, 1], [0, 1]]);
      const w2 = tf.tensor2d([[2, 0], [1, 1]]);
      const w = tf.matMul<tf.Tensor2D>(w2, w1);
      const single = factorStep([w1, w2], [w1, w], tf.sub<tf.Tensor2D>(w, tf.eye(2)), tf.scalar(0.5)).map((t) => Array.from(t.dataSync()));
      // The same run twice in a batch, with η = ½ for the first member and 0 for the second.
      const b1 = tf.stack([w1, w1]) as tf.Tensor3D;
      const b2 = tf.stack([w2, w2]) as tf.Tensor3D;
      const bw = tf.matMul<tf.Tensor3D>(b2, b1);
      const next = factorStep([b1, b2], [b1, bw], tf.sub<tf.Tensor3D>(bw, tf.stack([tf.eye(2), tf.eye(2)])), tf.tensor3d([0.5, 0], [2, 1, 1]));
      return [single, next.map((t) => Array.from(t.dataSync()))];
    });
    expect(one).toEqual(expected);
    expect(batched[0]).toEqual([...expected[0], 1, 1, 0, 1]);
    expect(batched[1]).toEqual([...expected[1], 2, 0, 1, 1]);
  });

  it('TfjsDynamics follows float64 gradient descent from the same factors, within float32 rounding, and leaks no tensor', () => {
    const spec = spectrumSpec({ n: 6, depth: 3, eigenvalues: [1, 0.5], init: { kind: 'gaussian', alpha: 1, seed: 3 }, stepSize: 0.05 });
    const target = buildTarget(spec);
    const before = tf.memory().numTensors;
    const dynamics = new TfjsDynamics(target, rankReferences(target, spec.effectiveRank), spec.init, spec.problem, spec.depth, spec.stepSize);
    expect([dynamics.path, dynamics.backend, dynamics.precision]).toEqual(['matrix', 'cpu', 'float32']);
    const steps = 30;
    // The float64 run starts from the float32-rounded factors the tensors hold.
    const start = initialFactors(spec.init, 6, 3).map((f) => ({ ...f, data: Float64Array.from(Float32Array.from(f.data)) }));
    const hat = { ...target.matrix(), data: Float64Array.from(Float32Array.from(target.matrix().data)) };
    const exact = fullMatrixGradientDescentFrom(hat, start, spec.stepSize, steps);
    const firstLoss = dynamics.loss();
    dynamics.advance(steps);
    const w = dynamics.product().data;
    // (7.1): each step adds about (3N − 3)·n·u (u = 2⁻²⁴) relative error to O(1) factors, at
    // most doubled per step by the step map: 30·6·6·2⁻²⁴·2 ≈ 1.3e-4.
    const tolerance = steps * (3 * 3 - 3) * 6 * 2 ** -24 * 2;
    expect(Math.max(...Array.from(w, (x, i) => Math.abs(x - exact.data[i])))).toBeLessThan(tolerance);
    const loss = dynamics.loss();
    expect(loss).toBeLessThan(firstLoss);
    expect(loss).toBeCloseTo(0.5 * exact.data.reduce((s, x, i) => s + (x - hat.data[i]) ** 2, 0), 4);
    const o = dynamics.observe();
    expect(o.loss).toBe(loss);
    expect(o.singularValues).toHaveLength(6);
    expect(dynamics.balancedness()).toHaveLength(2);
    dynamics.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
