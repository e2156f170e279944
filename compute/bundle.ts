import { runExperiment, type RunOptions } from '../core/engine/runExperiment';
import { householderSingularValues } from '../core/linalg/singularValues';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { parseMatrixFile } from '../core/targets/files';
import { buildTarget } from '../core/targets/buildTarget';
import type { TargetSources } from '../core/targets/target';
import { checkClaim, parseClaimFile, runProperty, theorems, type ClaimCheckOptions, type ClaimReport, type PropertyReport, type RunSettings } from '../property-tests';
import { activateTfjsBackend, activeTfjsBackend, type TfjsNodeBackend } from '../node/tfjsBackend';

// The heavy half of the extension host (dist/compute.js, built from ./entry.ts, which also makes
// it a dfl): tfjs, the engine, the property harness and the claim engine. `extension.js` requires it on the first
// run or theory check (extension/compute/computeLoader.ts), so activation stays cheap. The wasm binaries sit in dist/wasm/ of the installed extension (no
// node_modules there). Runs here get no native accelerators: the vsix ships no native module.

export { cpuBackendVersion } from '../node/tfjsBackend';

/** Activates a tfjs backend; wasm falls back to cpu (the reason is returned). */
export function useBackend(backend: TfjsNodeBackend, distWasmFolder: string): Promise<{ backend: TfjsNodeBackend; fallback?: string }> {
  return activateTfjsBackend(backend, { wasmFolder: distWasmFolder, fallbackToCpu: true });
}

export function activeBackend(): string {
  return activeTfjsBackend();
}

export function runSpec(spec: ExperimentSpec, options: RunOptions): Promise<RunResult> {
  return runExperiment(spec, options);
}

/** Ŵ of a file or MNIST spec as rows, for the Lab page (which cannot read files). */
export function targetRows(spec: ExperimentSpec, sources: TargetSources): number[][] {
  const m = buildTarget(spec, sources).matrix();
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
}

/** A user's matrix file: its size and largest singular value (to suggest a stable step size). */
export function inspectMatrix(fileName: string, bytes: Uint8Array): { n: number; sigmaMax: number } {
  const m = parseMatrixFile(fileName, bytes);
  const sigma = householderSingularValues(m.data, m.rows, m.cols);
  return { n: m.rows, sigmaMax: sigma[0] ?? 0 };
}

export interface TheoremInfo {
  name: string;
  claim: string;
}

export function listTheorems(): TheoremInfo[] {
  return theorems.map((t) => ({ name: t.name, claim: t.claim }));
}

/** Runs one theorem property of the harness. */
export function checkTheorem(name: string, settings: RunSettings): Promise<PropertyReport> {
  const property = theorems.find((t) => t.name === name);
  if (!property) throw new Error(`unknown property "${name}"`);
  return runProperty(property, settings);
}

export { checkClaim, parseClaimFile };

/** Parses a claim file's text and checks the claim; a bad claim throws its ClaimError (file:line:column: reason) before any case runs. */
export function checkClaimFile(text: string, file: string, options: ClaimCheckOptions): Promise<ClaimReport> {
  return checkClaim(parseClaimFile(text, file), options);
}

export type { ClaimCheckOptions, ClaimReport, PropertyReport, RunSettings };

