import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../core/errors';
import type { Accelerators } from '../core/linalg/accelerators';
import type { TargetSources } from '../core/targets/target';
import { loadNative, nativeAccelerators, nativeUnavailableReason } from '../native/loader';
import { MAX_INPUT_BYTES, readRegularFile } from './files';
import { MNIST_SUBSET_ENV, mnistDigitFrom } from './mnistSubset';

// The Node adapter of core, shared by the CLI, the benchmarks and the tests: it activates a
// backend, builds the accelerated routines of the optional native module (native/: OpenBLAS
// through Node-API, built at install where it can be) and hands them to the caller, who passes
// them to `runExperiment`. The webview and core never import this folder.

const require_ = createRequire(__filename);

export type NodeBackend = 'native' | 'wasm' | 'cpu';

/** The native module's routines, or null where it is not loaded (read once: loadNative caches). */
function native(): ReturnType<typeof nativeAccelerators> | null {
  const module = loadNative();
  return module ? nativeAccelerators(module) : null;
}

/**
 * Where the native module is built, a second SIGINT ends the process at once, even while the main
 * thread is busy; elsewhere nothing.
 */
export function exitOnSecondInterrupt(): void {
  loadNative()?.exitOnSecondInterrupt?.();
}

/** Fastest first (docs/performance.md): native (BLAS) ≫ wasm (SIMD, ~3.5× cpu) > cpu. */
export const NODE_BACKENDS: readonly NodeBackend[] = native() ? ['native', 'wasm', 'cpu'] : ['wasm', 'cpu'];
export const DEFAULT_NODE_BACKEND: NodeBackend = NODE_BACKENDS[0];

/**
 * What a run on `backend` gets: LAPACK for the logged singular values wherever the native module
 * is loaded, whichever backend runs, and its BLAS for the matrix path on `native`.
 */
function nodeAccelerators(backend: NodeBackend): Accelerators {
  const routines = native();
  if (backend === 'native' && !routines) throw new InputError(`backend "native" is not available: ${nativeUnavailableReason()}`);
  return {
    ...(backend === 'native' ? { blas: routines!.blas, ...(routines!.batch ? { batch: routines!.batch } : {}) } : {}),
    ...(routines?.singularValues ? { singularValues: routines.singularValues } : {}),
  };
}

/**
 * The tfjs wasm binaries: $DFL_WASM_FOLDER where it is set (the VS Code extension's dfl bundle,
 * which has no node_modules, is pointed at its dist/wasm/), else the installed package's dist/.
 */
function wasmFolder(): string {
  const explicit = process.env.DFL_WASM_FOLDER;
  if (explicit) return explicit;
  return path.join(path.dirname(require_.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/**
 * Activates a backend in Node and returns the accelerators to pass to `runExperiment`: a tfjs
 * backend (wasm from the installed package) with the tfjs batched kernel for sweeps, or `native`,
 * which runs the matrix path on the native BLAS and sweeps on its batched kernel. tfjs is loaded
 * for a tfjs backend only: `native` runs nothing on it, and a `dfl` command starts ~45 ms sooner.
 */
export async function useNodeBackend(backend: NodeBackend): Promise<Accelerators> {
  const accelerators = nodeAccelerators(backend);
  if (backend === 'native') return accelerators;
  const [{ activateTfjsBackend }, { tfjsBatchKernel }] = await Promise.all([import('./tfjsBackend'), import('../core/engine/tfjsBatchKernel')]);
  await activateTfjsBackend(backend, { wasmFolder: wasmFolder() });
  // On a tfjs backend, sweeps step their small matrix-path runs together with batched matMuls.
  return { ...accelerators, batch: tfjsBatchKernel() };
}

/**
 * tfjs on wasm beside the native backend, for runs that ask for tfjs's matrix path themselves
 * (`dfl check`'s float32 properties compare it with the exact path): what `native` activated at
 * start-up before it stopped loading tfjs.
 */
export async function useTfjsBesideNative(): Promise<void> {
  const { activateTfjsBackend } = await import('./tfjsBackend');
  await activateTfjsBackend('wasm', { wasmFolder: wasmFolder() });
}

/** Largest matrix file read (bytes): a 1024×1024 float64 .npy plus headroom. */
const MAX_FILE_BYTES = MAX_INPUT_BYTES;

/** Targets from the file system (relative to `baseDir`) and from the `mnist` package (or the subset named by $DFL_MNIST_SUBSET). */
export function nodeTargetSources(baseDir: string): TargetSources {
  return {
    // Regular files only, read with a cap (a link to /dev/zero or a FIFO is refused, not read).
    readFile: (file) => readRegularFile(path.resolve(baseDir, file), { label: file, maxBytes: MAX_FILE_BYTES }),
    mnistDigit: process.env[MNIST_SUBSET_ENV] ? mnistDigitFrom(process.env[MNIST_SUBSET_ENV]) : mnistPackageDigit,
    ...(native()?.orthogonal ? { orthogonal: native()!.orthogonal! } : {}),
  };
}

/** A digit's sample from the installed `mnist` package. */
function mnistPackageDigit(digit: number, index: number): number[] {
  // One digit's file (~4 MB), not the whole package's 41 MB.
  const { data } = require_(`mnist/src/digits/${digit}.json`) as { data: number[] };
  const count = Math.floor(data.length / 784);
  if (index >= count) throw new InputError(`spec.target.index: MNIST digit ${digit} has ${count} samples (got index ${index})`);
  return data.slice(index * 784, (index + 1) * 784);
}
