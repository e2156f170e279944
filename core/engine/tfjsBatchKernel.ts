import * as tf from '@tensorflow/tfjs-core';
import type { BatchKernel } from '../linalg/accelerators';
import { factorStep } from './tfjsPath';

// The batched kernel of `runBatch` (./batchRun.ts) on tfjs: the B active members of a group are
// one rank-3 tensor per factor, [B, n, n], and every product of a step is one batched matMul for
// the whole group, on whichever backend is active (webgl in a browser, wasm or cpu in Node, where
// it stands in for the native kernel). The step is the host matrix path's (TfjsDynamics,
// docs/theory.md (1.2)) with η per member, so each member's numbers are float32 like that path's
// and within the tolerance of Proposition 7.2 of the exact one; a batched matMul computes each
// member's product on its own, so a member's numbers do not depend on the rest of the batch.

/** The indices of the active members. */
function activeMembers(active: Uint8Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < active.length; b++) if (active[b]) out.push(b);
  return out;
}

/** Factor j of the listed members as one [B, n, n] tensor (member b's factor j is at (b·N + j)·n²). */
function gatherFactor(factors: Float32Array, members: readonly number[], j: number, n: number, depth: number): tf.Tensor3D {
  const nn = n * n;
  const data = new Float32Array(members.length * nn);
  members.forEach((b, i) => data.set(factors.subarray((b * depth + j) * nn, (b * depth + j + 1) * nn), i * nn));
  return tf.tensor3d(data, [members.length, n, n], 'float32');
}

function gatherHats(hats: Float32Array, members: readonly number[], n: number): tf.Tensor3D {
  const nn = n * n;
  const data = new Float32Array(members.length * nn);
  members.forEach((b, i) => data.set(hats.subarray(b * nn, (b + 1) * nn), i * nn));
  return tf.tensor3d(data, [members.length, n, n], 'float32');
}

/** P_0 = W_1, P_j = W_{j+1} P_{j−1}: the prefix products, the last one W = W_N ⋯ W_1. */
function prefixProducts(factors: readonly tf.Tensor3D[]): tf.Tensor3D[] {
  const out = [factors[0]];
  for (let j = 1; j < factors.length; j++) out.push(tf.matMul(factors[j], out[j - 1]));
  return out;
}

/** One gradient step of every member: TfjsDynamics' step (factorStep) on [B, n, n] tensors. */
function step(factors: tf.Tensor3D[], hats: tf.Tensor3D, etas: tf.Tensor3D): tf.Tensor3D[] {
  const prefix = prefixProducts(factors);
  return factorStep(factors, prefix, tf.sub(prefix[factors.length - 1], hats), etas);
}

/** The batched kernel on the active tfjs backend (`tf.getBackend()` when it is made). */
export function tfjsBatchKernel(): BatchKernel {
  const backend = tf.getBackend();
  return {
    description: `tfjs batched matMul (${backend})`,
    backend: `${backend}-batched`,
    advance(factors, hats, etas, active, n, depth, count) {
      const members = activeMembers(active);
      if (members.length === 0 || count === 0) return;
      const nn = n * n;
      const hat = gatherHats(hats, members, n);
      // η in float32 like TfjsDynamics' scalar, one per member, broadcast over its n × n block.
      const eta = tf.tensor3d(Float32Array.from(members, (b) => etas[b]), [members.length, 1, 1], 'float32');
      let current = Array.from({ length: depth }, (_, j) => gatherFactor(factors, members, j, n, depth));
      for (let k = 0; k < count; k++) {
        const next = tf.tidy(() => step(current, hat, eta));
        tf.dispose(current);
        current = next;
      }
      current.forEach((f, j) => {
        const data = f.dataSync();
        members.forEach((b, i) => factors.set(data.subarray(i * nn, (i + 1) * nn), (b * depth + j) * nn));
      });
      tf.dispose([...current, hat, eta]);
    },
    observe(factors, _hats, _etas, active, n, depth, products) {
      const members = activeMembers(active);
      if (members.length === 0) return false;
      const nn = n * n;
      const current = Array.from({ length: depth }, (_, j) => gatherFactor(factors, members, j, n, depth));
      const w = tf.tidy(() => prefixProducts(current)[depth - 1].clone());
      const data = w.dataSync();
      members.forEach((b, i) => {
        for (let e = 0; e < nn; e++) products[b * nn + e] = data[i * nn + e];
      });
      tf.dispose([...current, w]);
      // Singular values are left to the caller (LAPACK or the TypeScript routine).
      return false;
    },
  };
}
