// Loads the optional native accelerator (native/build/dfl_native.node, built by native/build.mjs
// at install time where a C compiler and Node's headers exist). Node-only: imported by
// node/platform.ts and the benchmarks, never by core or the webview.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BatchKernel, Blas, OrthogonalFactorRoutine, SingularValueRoutine } from '../core/linalg/accelerators';

interface NativeInfo {
  /** The shared library found by dlopen, or "builtin" (the plain C kernel). */
  library: string;
  /** openblas_get_config(), or a description of the fallback. */
  config: string;
  threads: number;
  blas: boolean;
  lapack: boolean;
}

export interface NativeModule {
  sgemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  sgemv(trans: boolean, m: number, n: number, alpha: number, a: Float32Array, x: Float32Array, beta: number, y: Float32Array): void;
  /** LAPACK dgesdd (values only) on a row-major m×n matrix (overwritten); 0 on success, −1000 without LAPACK. */
  singularValues(a: Float64Array, m: number, n: number, out: Float64Array): number;
  /**
   * The same on the module's SVD thread (`a` is read, not overwritten), one job at a time in call
   * order; while jobs are queued,
   * OpenBLAS gives the caller's calls one thread (concurrent calls with more threads serialize and
   * slow down ~10×), restored when the queue runs dry.
   */
  singularValuesAsync?(a: Float64Array, m: number, n: number, out: Float64Array): Promise<number>;
  /** Q of a square row-major A's QR, R's diagonal positive (dgeqrf + dorgqr), in place; 0 on success, −1000 without LAPACK; absent in older builds. */
  orthogonalFactor?(a: Float64Array, n: number): number;
  /** Eigenvalues of AᵀA, ascending (dsyrk + dsyevd); for the benchmarks only. */
  gramEigenvalues(a: Float64Array, m: number, n: number, out: Float64Array): number;
  /** The steps of the matrix path in C (core/linalg/accelerators.ts Blas.factorAdvance); absent in older builds. */
  factorAdvance?(factors: Float32Array[], prefix: Float32Array[], hat: Float32Array, mask: Float32Array | null, b: Float32Array, b2: Float32Array, n: number, eta: number, count: number, prefixReady: boolean): void;
  /** Batched small factorizations (core/linalg/accelerators.ts BatchKernel); absent in older builds. */
  batchAdvance?(factors: Float32Array, hats: Float32Array, etas: Float64Array, active: Uint8Array, n: number, depth: number, count: number): void;
  batchObserve?(factors: Float32Array, hats: Float32Array, etas: Float64Array, active: Uint8Array, n: number, depth: number, products: Float64Array, singular: Float64Array): number;
  setThreads(threads: number): void;
  info(): NativeInfo;
  /**
   * Installs a SIGINT handler over Node's: the first Ctrl-C goes on to Node (its listener runs when
   * the main thread is free), the second ends the process at once (exit 130), even while the main
   * thread is inside a long synchronous stage. Install after adding the `SIGINT` listener.
   */
  exitOnSecondInterrupt?(): void;
}

const FILE = path.join('native', 'build', 'dfl_native.node');

/** Where the built module is: $DFL_NATIVE_PATH, or native/build/ in this file's package. */
export function nativeModulePath(): string | null {
  const explicit = process.env.DFL_NATIVE_PATH;
  if (explicit) return existsSync(explicit) ? explicit : null;
  // Sources run from <root>/native/, the CLI bundle from <root>/dist/: walk up to the root.
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, FILE);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

let cached: NativeModule | null | undefined;
let failure = '';

/**
 * The native module, or null (DFL_NATIVE=0, not built, or not loadable; `nativeUnavailableReason`
 * says which). Thread count: $DFL_THREADS if set, else OpenBLAS's own default ($OPENBLAS_NUM_THREADS
 * or all cores).
 */
export function loadNative(): NativeModule | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.DFL_NATIVE === '0') {
    failure = 'disabled by DFL_NATIVE=0';
    return null;
  }
  const file = nativeModulePath();
  if (!file) {
    failure = `${FILE} is not built (npm run build:native)`;
    return null;
  }
  try {
    const m = { exports: {} as NativeModule };
    process.dlopen(m, file);
    const threads = Number(process.env.DFL_THREADS);
    if (Number.isInteger(threads) && threads > 0) m.exports.setThreads(threads);
    cached = m.exports;
  } catch (e) {
    failure = `${file} could not be loaded: ${(e as Error).message}`;
  }
  return cached;
}

export function nativeUnavailableReason(): string {
  return failure;
}

/** Largest n the native batched kernel steps; above it one run at a time on OpenBLAS is faster. */
const NATIVE_BATCH_MAX_N = 32;

/** The native module as core's accelerated routines (core/linalg/accelerators.ts). */
export function nativeAccelerators(mod: NativeModule): { blas: Blas; singularValues: SingularValueRoutine | null; batch: BatchKernel | null; orthogonal: OrthogonalFactorRoutine | null } {
  const info = mod.info();
  // "OpenBLAS 0.3.21 (libopenblas.so.0), 2 threads": the name and version of the config string
  // (the rest lists build options), and the file, since a DFL_BLAS_LIB may name any library.
  const name = /^OpenBLAS [\d.]+/.exec(info.config)?.[0] ?? info.config;
  const description = info.blas ? `${name && name !== 'unknown BLAS' ? `${name} (${info.library})` : info.library}, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : 'builtin C kernel (no BLAS library found; OpenBLAS is 5-8× faster)';
  const blas: Blas = {
    description,
    sgemm: (ta, tb, m, n, k, alpha, a, b, beta, c) => mod.sgemm(ta, tb, m, n, k, alpha, a, b, beta, c),
    sgemv: (t, m, n, alpha, a, x, beta, y) => mod.sgemv(t, m, n, alpha, a, x, beta, y),
    ...(mod.factorAdvance ? { factorAdvance: mod.factorAdvance.bind(mod) } : {}),
  };
  // DFL_ASYNC_SVD=0 keeps the logged steps' SVD on the main thread (the benchmark's baseline).
  const later = mod.singularValuesAsync && process.env.DFL_ASYNC_SVD !== '0' ? mod.singularValuesAsync.bind(mod) : undefined;
  const singularValues: SingularValueRoutine | null = info.lapack
    ? {
        description: `LAPACK dgesdd (${info.library})${later ? ', overlapping the steps' : ''}`,
        singularValues: (a, m, n, out) => mod.singularValues(a, m, n, out) === 0,
        singularValuesAsync: later && (async (a, m, n, out) => (await later(a, m, n, out)) === 0),
      }
    : null;
  const advance = mod.batchAdvance?.bind(mod);
  const observe = mod.batchObserve?.bind(mod);
  const batch: BatchKernel | null =
    advance && observe
      ? {
          description: `native batched kernel${info.lapack ? ' with LAPACK dgesdd' : ''}`,
          backend: 'native-batched',
          // Measured (docs/sweeps.md): 256 runs × 200 steps, N = 3, one thread, against one run at a
          // time on OpenBLAS: 1.1× at n = 32, 0.53× at n = 48, 0.52× at n = 64.
          maxN: NATIVE_BATCH_MAX_N,
          advance,
          observe: (f, h, e, a, n, depth, products, singular) => observe(f, h, e, a, n, depth, products, singular) === 0,
        }
      : null;
  const qr = mod.orthogonalFactor?.bind(mod);
  const orthogonal: OrthogonalFactorRoutine | null = info.lapack && qr ? { description: `LAPACK dgeqrf + dorgqr (${info.library})`, orthogonalFactor: (a, n) => qr(a, n) === 0 } : null;
  return { blas, singularValues, batch, orthogonal };
}
