import path from 'node:path';

// Loads dist/compute.js (tfjs, the engine, the property harness; extension/computeBundle.ts) on first
// use, so that activating the extension costs only the small host bundle.

export type Compute = typeof import('../computeBundle');

let compute: Compute | undefined;

/** `distFolder`: the installed extension's dist/ folder (extension.js and compute.js live there). */
export function loadCompute(distFolder: string): Compute {
  // A require of a path computed at run time: esbuild leaves it to Node.
  compute ??= require(path.join(distFolder, 'compute.js')) as Compute;
  return compute;
}

/** Tests inject the compute module directly. */
export function setCompute(module: Compute | undefined): void {
  compute = module;
}
