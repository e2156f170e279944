import * as tf from '@tensorflow/tfjs-core';
import { runExperiment } from '../../core/engine/runExperiment';
import type { DenseMatrix } from '../../core/linalg/dense';
import { fromRows } from '../../core/linalg/dense';
import type { RunResult, TrajectoryPoint } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { buildTarget, denseTarget } from '../../core/targets/buildTarget';
import type { Target } from '../../core/targets/target';
import { logSchedule } from '../../core/trajectory/logSchedule';
import type { LabBackend } from '../../core/protocol/messages';
import { selectBackend, webglContextLost, type BackendStatus } from './backend';

/** Heatmap snapshots of W(k) are kept for n up to this (O(n³) each on the spectral path). */
export const MAX_HEATMAP_SNAPSHOT_N = 256;
/** Memory budget of all snapshots of one run (float32 entries: 16 MB). */
export const SNAPSHOT_BUDGET = 4 * 1024 * 1024;
/** At most this many snapshots per run, spread evenly over the logged steps. */
export const MAX_SNAPSHOTS = 160;
/** Wall-clock milliseconds of engine work between yields to rendering. */
export const CHUNK_MILLISECONDS = 12;

export interface Snapshot {
  step: number;
  /** W(k), row-major float32. */
  data: Float32Array;
}

export interface RunHandlers {
  /** The target is built and the run is about to start. */
  onStart(info: { spec: ExperimentSpec; target: Target; backend: BackendStatus; snapshotSteps: ReadonlySet<number> }): void;
  onPoint(point: TrajectoryPoint): void;
  onSnapshot(snapshot: Snapshot): void;
  onProgress(step: number, steps: number): void;
}

export interface RunRequest {
  spec: ExperimentSpec;
  /** Ŵ supplied by the host (file and MNIST targets). */
  target?: number[][];
  backend: LabBackend;
}

/** Logged steps whose product is kept for the heatmaps: evenly spaced by index, first and last. */
export function snapshotSteps(spec: ExperimentSpec): Set<number> {
  if (spec.n > MAX_HEATMAP_SNAPSHOT_N) return new Set();
  const schedule = logSchedule(spec.steps, spec.log);
  const count = Math.max(2, Math.min(MAX_SNAPSHOTS, schedule.length, Math.floor(SNAPSHOT_BUDGET / (spec.n * spec.n))));
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(schedule[Math.round((i * (schedule.length - 1)) / (count - 1))]);
  return out;
}

/** The target of a run: from the spec, or from the host's matrix. */
export function targetFor(request: Pick<RunRequest, 'spec' | 'target'>): Target {
  const { spec } = request;
  if (request.target) {
    const m: DenseMatrix = fromRows(request.target);
    if (m.rows !== spec.n || m.cols !== spec.n) throw new Error(`the host's target is ${m.rows}×${m.cols} but spec.n is ${spec.n}`);
    const name = spec.target.kind === 'mnist' ? `MNIST ${spec.target.digit === undefined ? `#${spec.target.index}` : `digit ${spec.target.digit} #${spec.target.index}`}` : spec.target.kind === 'file' ? spec.target.path : 'host matrix';
    return denseTarget(m, name);
  }
  return buildTarget(spec);
}

/**
 * Runs one experiment at a time through core's runExperiment, yielding to rendering between
 * chunks of steps. Pause makes `yieldToHost` wait; cancel aborts (the trajectory so far is kept).
 */
export class LabRunner {
  private controller: AbortController | undefined;
  private running: Promise<unknown> | undefined;
  private resumeWaiters: (() => void)[] = [];
  private pausedFlag = false;
  private sliceStart = 0;

  get paused(): boolean {
    return this.pausedFlag;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  pause(): void {
    if (this.running) this.pausedFlag = true;
  }

  resume(): void {
    this.pausedFlag = false;
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    waiters.forEach((w) => w());
  }

  /** Cancels the run in progress and waits for it to stop. */
  async cancel(): Promise<void> {
    this.controller?.abort();
    this.resume();
    await this.running?.catch(() => undefined);
  }

  private async yieldToHost(): Promise<void> {
    // Work in slices of CHUNK_MILLISECONDS: runExperiment asks to yield after every chunk of steps
    // and every 8 logged steps; between slices, wait for the next animation frame (the plots draw
    // there) or 50 ms, whichever comes first, so a hidden panel, where frames stop, still runs.
    if (!this.pausedFlag && !this.controller?.signal.aborted && performance.now() - this.sliceStart < CHUNK_MILLISECONDS) return;
    await new Promise<void>((resolve) => {
      let done = false;
      const go = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      requestAnimationFrame(go);
      setTimeout(go, 50);
    });
    while (this.pausedFlag && !this.controller?.signal.aborted) await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    this.sliceStart = performance.now();
  }

  /** Starts a run after cancelling any other. Resolves with its result (cancelled runs included). */
  async start(request: RunRequest, handlers: RunHandlers): Promise<RunResult> {
    await this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.pausedFlag = false;
    const run = (async () => {
      const backend = await selectBackend(request.backend);
      const target = targetFor(request);
      const { spec } = request;
      const keep = snapshotSteps(spec);
      handlers.onStart({ spec, target, backend, snapshotSteps: keep });
      const tensorsBefore = tf.memory().numTensors;
      const result = await runExperiment(spec, {
        target,
        signal: controller.signal,
        chunkMilliseconds: CHUNK_MILLISECONDS,
        yieldToHost: () => this.yieldToHost(),
        onProgress: ({ step, steps }) => handlers.onProgress(step, steps),
        onPoint: (point, view) => {
          handlers.onPoint(point);
          if (keep.has(point.step) && view) handlers.onSnapshot({ step: point.step, data: Float32Array.from(view.product().data) });
        },
      });
      if (tf.memory().numTensors !== tensorsBefore) console.warn(`tensor leak: ${tf.memory().numTensors - tensorsBefore} tensors`);
      if (webglContextLost() && backend.backend === 'webgl') throw new ContextLostError();
      return result;
    })();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) {
        this.running = undefined;
        this.controller = undefined;
        this.pausedFlag = false;
      }
    }
  }
}

/** The WebGL context went away during a run; the page restarts it on the CPU backend. */
export class ContextLostError extends Error {
  override readonly name = 'ContextLostError';
  constructor() {
    super('the WebGL context was lost during the run');
  }
}
