import * as tf from '@tensorflow/tfjs-core';
import type { Accelerators } from '../../core/linalg/accelerators';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../../node/platform';

/** Every tfjs backend available in Node: the same engine test runs on each (tfjs-core's ALL_ENVS). */
export const nodeBackends: readonly NodeBackend[] = NODE_BACKENDS;

/** Runs `body` on `backend` with the accelerators a run there gets (pass them to `runExperiment`). */
export async function withBackend<T>(backend: NodeBackend, body: (accelerators: Accelerators) => Promise<T> | T): Promise<T> {
  return body(await useNodeBackend(backend));
}

/**
 * Contract helper: a body leaves the tensor count as it found it. The engine's own count, which
 * needs no backend: on `native` nothing loads one, and none may be made.
 */
export async function expectNoTensorLeak(body: () => Promise<unknown>): Promise<void> {
  const before = tf.engine().state.numTensors;
  await body();
  const after = tf.engine().state.numTensors;
  if (after !== before) throw new Error(`tensor leak: ${before} tensors before, ${after} after`);
}
