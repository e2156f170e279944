import path from 'node:path';
import type * as ComputeModule from '../../compute/bundle';

// Loads dist/compute.js (tfjs, the engine, the property harness; compute/bundle.ts) on first
// use, so that activating the extension costs only the small host bundle.

export type Compute = typeof ComputeModule;

let compute: Compute | undefined;

/** `distFolder`: the installed extension's dist/ folder (extension.js and compute.js live there). */
export function loadCompute(distFolder: string): Compute {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path computed at run time, which esbuild leaves to Node's require; the host bundle is CommonJS and loads it synchronously.
  compute ??= require(path.join(distFolder, 'compute.js')) as Compute;
  return compute;
}

/** Tests inject the compute module directly. */
export function setCompute(module: Compute | undefined): void {
  compute = module;
}
