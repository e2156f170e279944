import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tfjsBatchKernel } from '../../../core/engine/tfjsBatchKernel';
import type { DenseMatrix } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';
import { useNodeBackend } from '../../../node/platform';
import { fullMatrixGradientDescentFrom } from '../../../property-tests/reference';

// The batched kernel on the tfjs cpu backend against plain float64 gradient descent
// (property-tests/reference.ts) from the same float32 numbers, member by member.

const u = 2 ** -24; // float32 unit roundoff

/**
 * Entrywise tolerance of K float32 steps of N factors of size n, each entry O(1): a step has
 * 3N − 3 matrix products (docs/theory.md (1.2)), each off by at most γ_n ≈ n·u relative to
 * |A||B| (7.1), plus the residual's and the update's own roundings (2u); the step map near the
 * identity, with η·‖Hessian‖ ≤ 1, at most doubles an earlier error per step. So the error after
 * K steps is at most K·((3N − 3)·n + 2)·u·2, derived, not fitted to what the kernel does.
 */
const tolerance = (steps: number, depth: number, n: number) => steps * ((3 * depth - 3) * n + 2) * u * 2;

interface Batch {
  factors: Float32Array;
  hats: Float32Array;
  etas: Float64Array;
  active: Uint8Array;
}

/** B members: factors near the identity (norm O(1)), targets of entries ~0.5, η as given. */
function batch(members: number, n: number, depth: number, etas: number[], seed: number): Batch {
  const rng = createRng(seed);
  const nn = n * n;
  const factors = Float32Array.from({ length: members * depth * nn }, (_, e) => ((e % nn) % (n + 1) === 0 ? 1 : 0) + 0.1 * rng.gaussian());
  const hats = Float32Array.from({ length: members * nn }, () => 0.5 * rng.gaussian());
  return { factors, hats, etas: Float64Array.from(etas), active: new Uint8Array(members).fill(1) };
}

const block = (data: Float32Array, index: number, n: number): DenseMatrix => ({ rows: n, cols: n, data: Float64Array.from(data.subarray(index * n * n, (index + 1) * n * n)) });

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

/** Member b's product W_N ⋯ W_1 in float64 from its float32 factors. */
function productOf(b: Batch, member: number, n: number, depth: number): Float64Array {
  return fullMatrixGradientDescentFrom(block(b.hats, member, n), Array.from({ length: depth }, (_, j) => block(b.factors, member * depth + j, n)), 0, 0).data;
}

describe('tfjsBatchKernel on the cpu backend', () => {
  beforeAll(async () => {
    await useNodeBackend('cpu');
  });

  it('names the backend it was made on', () => {
    const kernel = tfjsBatchKernel();
    expect(kernel.backend).toBe('cpu-batched');
    expect(kernel.description).toBe('tfjs batched matMul (cpu)');
  });

  it('steps each active member as float64 gradient descent within the float32 bound, and leaves inactive ones alone', () => {
    const [n, depth, steps] = [4, 3, 25];
    const etas = [0.05, 0.02, 0.08, 0.05];
    const b = batch(4, n, depth, etas, 9);
    b.active[2] = 0;
    const start = Float32Array.from(b.factors);
    const exact = [0, 1, 2, 3].map((m) =>
      fullMatrixGradientDescentFrom(block(b.hats, m, n), Array.from({ length: depth }, (_, j) => block(start, m * depth + j, n)), etas[m], steps).data,
    );
    const before = tf.memory().numTensors;
    tfjsBatchKernel().advance(b.factors, b.hats, b.etas, b.active, n, depth, steps);
    expect(tf.memory().numTensors).toBe(before);
    const bound = tolerance(steps, depth, n);
    for (const m of [0, 1, 3]) {
      const got = productOf(b, m, n, depth);
      expect(maxAbsDiff(got, exact[m])).toBeLessThan(bound);
      // Not vacuous: the member moved far more than the bound.
      expect(maxAbsDiff(got, productOf({ ...b, factors: start }, m, n, depth))).toBeGreaterThan(100 * bound);
    }
    const nn = n * n;
    expect(b.factors.subarray(2 * depth * nn, 3 * depth * nn)).toEqual(start.subarray(2 * depth * nn, 3 * depth * nn));
  });

  it('gives a member the same numbers alone as in a batch (each batched product is its own)', () => {
    const [n, depth, steps] = [3, 2, 10];
    const together = batch(3, n, depth, [0.05, 0.1, 0.03], 2);
    const nn = n * n;
    const alone: Batch = {
      factors: Float32Array.from(together.factors.subarray(depth * nn, 2 * depth * nn)),
      hats: Float32Array.from(together.hats.subarray(nn, 2 * nn)),
      etas: Float64Array.from([0.1]),
      active: Uint8Array.from([1]),
    };
    const kernel = tfjsBatchKernel();
    kernel.advance(together.factors, together.hats, together.etas, together.active, n, depth, steps);
    kernel.advance(alone.factors, alone.hats, alone.etas, alone.active, n, depth, steps);
    expect(together.factors.subarray(depth * nn, 2 * depth * nn)).toEqual(alone.factors);
  });

  it('does nothing for zero steps or no active member', () => {
    const b = batch(2, 3, 2, [0.1, 0.1], 3);
    const start = Float32Array.from(b.factors);
    const kernel = tfjsBatchKernel();
    kernel.advance(b.factors, b.hats, b.etas, b.active, 3, 2, 0);
    kernel.advance(b.factors, b.hats, b.etas, new Uint8Array(2), 3, 2, 5);
    expect(b.factors).toEqual(start);
  });

  it('observes each active member’s product W_N ⋯ W_1 within one float32 product chain’s rounding, leaving the singular values to the caller', () => {
    const [n, depth] = [4, 3];
    const b = batch(3, n, depth, [0.1, 0.1, 0.1], 5);
    b.active[1] = 0;
    const products = new Float64Array(3 * n * n).fill(-7);
    const singular = new Float64Array(3 * n).fill(-7);
    const before = tf.memory().numTensors;
    expect(tfjsBatchKernel().observe(b.factors, b.hats, b.etas, b.active, n, depth, products, singular)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    const nn = n * n;
    // N − 1 float32 products of O(1) matrices, each off by n·u (7.1), then the result stored in
    // float32 (u): ((N − 1)·n + 1)·u, doubled for entries up to ~1.5 in size.
    const bound = ((depth - 1) * n + 1) * u * 2;
    for (const m of [0, 2]) expect(maxAbsDiff(products.subarray(m * nn, (m + 1) * nn), productOf(b, m, n, depth))).toBeLessThan(bound);
    expect(products.subarray(nn, 2 * nn).every((x) => x === -7)).toBe(true);
    expect(singular.every((x) => x === -7)).toBe(true);
    expect(tfjsBatchKernel().observe(b.factors, b.hats, b.etas, new Uint8Array(3), n, depth, products, singular)).toBe(false);
  });
});
