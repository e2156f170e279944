import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { runExperiment, type RunOptions } from '../core/engine/runExperiment';
import { householderSingularValues } from '../core/linalg/singularValues';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';
import { parseMatrixFile } from '../core/targets/files';
import { buildTarget } from '../core/targets/buildTarget';
import type { TargetSources } from '../core/targets/target';
import { runProperty, theorems, type PropertyReport, type RunSettings } from '../property-tests';

// The heavy half of the extension host (dist/engine.js): tfjs, the engine and the property
// harness. `extension.js` requires it on the first run or theory check, so activation stays
// cheap. The wasm binaries sit in dist/wasm/ of the installed extension (no node_modules there).

export type HostBackend = 'wasm' | 'cpu';

let wasmFolder: string | undefined;
/** Referenced so that the bundler keeps the cpu backend's registration (its package is marked side-effect free). */
export const cpuBackendVersion = version_cpu;

/** Activates a tfjs backend; wasm falls back to cpu (the reason is returned). */
export async function useBackend(backend: HostBackend, distWasmFolder: string): Promise<{ backend: HostBackend; fallback?: string }> {
  tf.enableProdMode();
  if (backend === 'wasm') {
    if (wasmFolder !== distWasmFolder) {
      setWasmPaths(distWasmFolder.endsWith('/') || distWasmFolder.endsWith('\\') ? distWasmFolder : `${distWasmFolder}/`);
      wasmFolder = distWasmFolder;
    }
    try {
      if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
      await tf.ready();
      return { backend: 'wasm' };
    } catch (error) {
      const fallback = `wasm backend unavailable (${(error as Error).message}); using cpu`;
      await tf.setBackend('cpu');
      await tf.ready();
      return { backend: 'cpu', fallback };
    }
  }
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu' };
}

export function activeBackend(): string {
  return tf.getBackend();
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

export type { PropertyReport, RunSettings };
