import * as tf from '@tensorflow/tfjs-core';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { InputError } from '../core/errors';

// The one place Node code activates a tfjs backend (the CLI, the extension's compute bundle, the
// tests and benchmarks). The Lab page has its own, for WebGL (webview/engine/backend.ts).

export type TfjsNodeBackend = 'wasm' | 'cpu';

/** Referenced so that the bundler keeps the cpu backend's registration (its package is marked side-effect free). */
export const cpuBackendVersion = version_cpu;

let wasmPaths: string | undefined;

export interface ActivateOptions {
  /** Folder of the tfjs wasm binaries. */
  wasmFolder: string;
  /** When wasm cannot start, use cpu and say why (the extension host); otherwise throw. */
  fallbackToCpu?: boolean;
}

/** Activates `backend`; returns the one active now and, after a fallback to cpu, the reason. */
export async function activateTfjsBackend(backend: TfjsNodeBackend, options: ActivateOptions): Promise<{ backend: TfjsNodeBackend; fallback?: string }> {
  tf.enableProdMode();
  if (backend === 'wasm') {
    const folder = /[\\/]$/.test(options.wasmFolder) ? options.wasmFolder : `${options.wasmFolder}/`;
    if (wasmPaths !== folder) {
      setWasmPaths(folder);
      wasmPaths = folder;
    }
  }
  try {
    if (tf.getBackend() !== backend || !(await tf.ready(), tf.getBackend() === backend)) {
      if (!(await tf.setBackend(backend))) throw new InputError(`backend "${backend}" could not be initialized`);
    }
    await tf.ready();
    return { backend };
  } catch (error) {
    if (backend !== 'wasm' || !options.fallbackToCpu) throw error;
    const fallback = `wasm backend unavailable (${(error as Error).message}); using cpu`;
    await tf.setBackend('cpu');
    await tf.ready();
    return { backend: 'cpu', fallback };
  }
}

export function activeTfjsBackend(): string {
  return tf.getBackend();
}
