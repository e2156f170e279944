import * as tf from '@tensorflow/tfjs-core';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../../core/platform/node';

/** Every tfjs backend available in Node: the same engine test runs on each (tfjs-core's ALL_ENVS). */
export const nodeBackends: readonly NodeBackend[] = NODE_BACKENDS;

export async function withBackend<T>(backend: NodeBackend, body: () => Promise<T> | T): Promise<T> {
  await useNodeBackend(backend);
  return body();
}

/** Contract helper: a body leaves the tensor count as it found it. */
export async function expectNoTensorLeak(body: () => Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await body();
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`tensor leak: ${before} tensors before, ${after} after`);
}
