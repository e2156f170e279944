import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import type { LabBackend } from '../../core/protocol/messages';

// Which tfjs backend the matrix path runs on in the page: WebGL when it works with float32
// render targets, the CPU backend otherwise, with a sentence the page shows saying why.

export interface BackendStatus {
  backend: LabBackend;
  /** Why the CPU backend is in use, when WebGL was wanted. */
  fallback?: string;
}

let contextLostListener: ((reason: string) => void) | undefined;
let watchedCanvas: HTMLCanvasElement | OffscreenCanvas | undefined;
let lost = false;

/** Called once when the WebGL context of the active backend is lost. */
export function onWebglContextLost(listener: (reason: string) => void): void {
  contextLostListener = listener;
}

export function webglContextLost(): boolean {
  return lost;
}

function watchContext(): void {
  const backend = tf.backend() as MathBackendWebGL;
  const canvas = backend.gpgpu?.gl?.canvas as HTMLCanvasElement | OffscreenCanvas | undefined;
  if (!canvas || canvas === watchedCanvas) return;
  watchedCanvas = canvas;
  canvas.addEventListener('webglcontextlost', () => {
    lost = true;
    contextLostListener?.('the WebGL context was lost');
  });
}

/** For tests and the "lose context" debug hook: the WebGL context tfjs renders with. */
export function activeWebglContext(): WebGLRenderingContext | WebGL2RenderingContext | undefined {
  if (tf.getBackend() !== 'webgl') return undefined;
  return (tf.backend() as MathBackendWebGL).gpgpu?.gl;
}

/** Drops the WebGL context (the browser tests check the CPU fallback with it); false without one. */
export function loseWebglContext(): boolean {
  const ext = activeWebglContext()?.getExtension('WEBGL_lose_context');
  ext?.loseContext();
  return ext !== undefined && ext !== null;
}

async function useCpu(reason?: string): Promise<BackendStatus> {
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', fallback: reason };
}

/**
 * Activates `webgl` (or `cpu` when asked). WebGL must give float32 render targets: half-float
 * textures would make the trajectory meaningless. Software WebGL (SwiftShader) is accepted.
 */
export async function selectBackend(wanted: LabBackend): Promise<BackendStatus> {
  tf.enableProdMode();
  if (wanted === 'cpu') return useCpu();
  if (lost) return useCpu('WebGL context was lost; running on the CPU backend');
  if (tf.getBackend() === 'webgl') return { backend: 'webgl' };
  // tfjs refuses software WebGL by default (failIfMajorPerformanceCaveat).
  tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  let ok: boolean;
  let detail = 'WebGL is not available in this browser';
  try {
    ok = await tf.setBackend('webgl');
    if (ok) {
      await tf.ready();
      if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')) {
        ok = false;
        detail = 'WebGL has no float32 render targets';
      }
    }
  } catch (error) {
    ok = false;
    detail = `WebGL failed to start (${(error as Error).message})`;
  }
  if (!ok) return useCpu(`${detail}; running on the CPU backend`);
  watchContext();
  return { backend: 'webgl' };
}
