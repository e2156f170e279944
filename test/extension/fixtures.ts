import path from 'node:path';
import { vi } from 'vitest';
import { runExperiment, type RunOptions } from '../../core/engine/runExperiment';
import type { RunResult } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { TargetSources } from '../../core/targets/target';
import type { PropertyReport } from '../../property-tests/runner';
import { Uri } from './vscodeStub';

/** A small real result (exact spectral path, float64, no tfjs backend needed). */
export async function smallResult(name = 'small N = 3'): Promise<RunResult> {
  const spec = parseSpec({ name, n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [10, 6, 3], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.005, steps: 1500, log: { points: 60 } });
  return runExperiment(spec, { yieldToHost: async () => undefined });
}

/** An `ExtensionContext` with in-memory workspace state and global storage in `storage`. */
export function extensionContext(storage: string) {
  const state = new Map<string, unknown>();
  const memento = { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v), keys: () => [...state.keys()] };
  return { subscriptions: [] as { dispose(): void }[], extensionUri: Uri.file(path.resolve('.')), globalStorageUri: Uri.file(storage), workspaceState: memento, globalState: memento };
}

/**
 * A stand-in of dist/compute.js: runs return `result` renamed to the spec (after `delay` ms, or
 * at once when aborted, then `stopped: cancelled`); file targets go through `sources.readFile`
 * as the real engine's do.
 */
export function fakeEngine(result: RunResult, delay = 0) {
  const engine = {
    signals: [] as AbortSignal[],
    useBackend: async () => ({ backend: 'cpu' as const }),
    activeBackend: () => 'cpu',
    runSpec: vi.fn(async (spec: ExperimentSpec, options: RunOptions): Promise<RunResult> => {
      if (spec.target.kind === 'file') options.sources?.readFile?.(spec.target.path);
      if (options.signal) engine.signals.push(options.signal);
      const aborted = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), delay);
        options.signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(true)));
      });
      return { ...result, spec: { ...result.spec, name: spec.name }, ...(aborted ? { stopped: { ...result.stopped, kind: 'cancelled' as const } } : {}) };
    }),
    targetRows: vi.fn((spec: ExperimentSpec, sources: TargetSources) => {
      if (spec.target.kind === 'file') sources.readFile?.(spec.target.path);
      return Array.from({ length: spec.n }, (_, i) => Array.from({ length: spec.n }, (_, j) => (i === j ? 1 : 0)));
    }),
    inspectMatrix: vi.fn(() => ({ n: 2, sigmaMax: 1 })),
    listTheorems: () => [{ name: 'intervals-ordered', claim: 'ordered' }],
    checkTheorem: vi.fn(async (name: string): Promise<PropertyReport> => ({ name, claim: 'ordered', passed: 2, failed: 0, hypothesisNotMet: 0, seconds: 0.01, statistics: {} })),
  };
  return engine;
}
