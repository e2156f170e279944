import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../errors';
import type { TargetSources } from '../targets/target';

// Node-only adapters shared by the CLI, the extension host and the tests. The webview never
// imports this file.

const require_ = createRequire(__filename);

export type NodeBackend = 'cpu' | 'wasm';
export const NODE_BACKENDS: readonly NodeBackend[] = ['wasm', 'cpu'];
/** wasm (SIMD) is about 3.5× cpu for the GD loop on this machine (docs/performance.md). */
export const DEFAULT_NODE_BACKEND: NodeBackend = 'wasm';

let wasmReady = false;

/** Activates a tfjs backend in Node; wasm is loaded from the installed package's dist/ folder. */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
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
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Targets from the file system (relative to `baseDir`) and from the `mnist` package. */
export function nodeTargetSources(baseDir: string): TargetSources {
  return {
    readFile(file) {
      const full = path.resolve(baseDir, file);
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        throw new InputError(`${file}: no such file`);
      }
      if (size > MAX_FILE_BYTES) throw new InputError(`${file}: ${size} bytes is larger than the limit of ${MAX_FILE_BYTES}`);
      return new Uint8Array(readFileSync(full));
    },
    mnistDigit(digit, index) {
      // One digit's file (~4 MB), not the whole package's 41 MB.
      const data: number[] = require_(`mnist/src/digits/${digit}.json`).data;
      const count = Math.floor(data.length / 784);
      if (index >= count) throw new InputError(`spec.target.index: MNIST digit ${digit} has ${count} samples (got index ${index})`);
      return data.slice(index * 784, (index + 1) * 784);
    },
  };
}
