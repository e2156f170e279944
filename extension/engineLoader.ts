import path from 'node:path';

// Loads dist/engine.js (tfjs, the engine, the property harness) on first use, so that
// activating the extension costs only the small host bundle.

export type Engine = typeof import('./engine');

let engine: Engine | undefined;

/** `distFolder`: the installed extension's dist/ folder (extension.js and engine.js live there). */
export function loadEngine(distFolder: string): Engine {
  // A require of a path computed at run time: esbuild leaves it to Node.
  engine ??= require(path.join(distFolder, 'engine.js')) as Engine;
  return engine;
}

/** Tests inject the engine module directly. */
export function setEngine(module: Engine | undefined): void {
  engine = module;
}
