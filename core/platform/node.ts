import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../errors';
import type { TargetSources } from '../targets/target';
import { setHostBatchKernel, setHostBlas, setHostSingularValues } from '../linalg/accelerator';
import { loadNative, nativeAccelerators, nativeUnavailableReason } from '../../native/loader';
import { MAX_INPUT_BYTES, readRegularFile } from '../../node/safeFiles';

// Node-only adapters shared by the CLI, the extension host and the tests. The webview never
// imports this file.

const require_ = createRequire(__filename);

export type NodeBackend = 'native' | 'wasm' | 'cpu';
// The optional native module (native/: OpenBLAS through Node-API, built at install where it can
// be). Where loaded, LAPACK computes the logged singular values whichever backend runs.
const nativeModule = loadNative();
const accelerators = nativeModule ? nativeAccelerators(nativeModule) : null;
if (accelerators?.singularValues) setHostSingularValues(accelerators.singularValues);
/** Fastest first (docs/performance.md): native (BLAS) ≫ wasm (SIMD, ~3.5× cpu) > cpu. */
export const NODE_BACKENDS: readonly NodeBackend[] = accelerators ? ['native', 'wasm', 'cpu'] : ['wasm', 'cpu'];
export const DEFAULT_NODE_BACKEND: NodeBackend = NODE_BACKENDS[0];

let wasmReady = false;

/**
 * Activates a backend in Node: a tfjs backend (wasm is loaded from the installed package's dist/
 * folder), or `native`, which runs the matrix path on the native BLAS (tfjs stays on wasm).
 */
export async function useNodeBackend(backend: NodeBackend): Promise<void> {
  if (backend === 'native' && !accelerators) throw new InputError(`backend "native" is not available: ${nativeUnavailableReason()}`);
  setHostBlas(backend === 'native' ? accelerators!.blas : null);
  setHostBatchKernel(backend === 'native' ? accelerators!.batch : null);
  const name = backend === 'native' ? 'wasm' : backend;
  tf.enableProdMode();
  if (name === 'wasm' && !wasmReady) {
    const dist = path.dirname(require_.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    setWasmPaths(path.join(dist, 'dist') + path.sep);
    wasmReady = true;
  }
  if (tf.getBackend() !== name || !(await tf.ready(), tf.getBackend() === name)) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new InputError(`backend "${name}" could not be initialized`);
  }
  await tf.ready();
}

/** Largest matrix file read (bytes): a 1024×1024 float64 .npy plus headroom. */
export const MAX_FILE_BYTES = MAX_INPUT_BYTES;

/** Targets from the file system (relative to `baseDir`) and from the `mnist` package. */
export function nodeTargetSources(baseDir: string): TargetSources {
  return {
    // Regular files only, read with a cap (a link to /dev/zero or a FIFO is refused, not read).
    readFile: (file) => readRegularFile(path.resolve(baseDir, file), { label: file, maxBytes: MAX_FILE_BYTES }),
    mnistDigit(digit, index) {
      // One digit's file (~4 MB), not the whole package's 41 MB.
      const data: number[] = require_(`mnist/src/digits/${digit}.json`).data;
      const count = Math.floor(data.length / 784);
      if (index >= count) throw new InputError(`spec.target.index: MNIST digit ${digit} has ${count} samples (got index ${index})`);
      return data.slice(index * 784, (index + 1) * 784);
    },
  };
}
