import { afterEach, describe, expect, it } from 'vitest';
import { getHostSingularValues, setHostSingularValues, type HostSingularValues } from '../../../core/linalg/accelerator';
import { singularValues } from '../../../core/linalg/decompositions';
import { householderSingularValues } from '../../../core/linalg/singularValues';
import type { RunResult } from '../../../core/result';
import { runExperiment } from '../../../core/engine/runExperiment';
import { parseSpec } from '../../../core/spec/parseSpec';
import { loadNative } from '../../../native/loader';
import { withBackend } from '../../helpers/backends';

// A logged step's singular values may be computed off the main thread while the next steps run
// (core/engine/runExperiment.ts). Whatever the timing, the recorded run must be the one the
// synchronous routine records: same points, same order, same stops.

const installed = getHostSingularValues();
afterEach(() => setHostSingularValues(installed));

/** The TypeScript routine behind a host interface; the async one resolves after `delay(k)` ms. */
function fakeHost(delay: (call: number) => number, calls: { sync: number; async: number }): HostSingularValues {
  const compute = (a: Float64Array, m: number, n: number, out: Float64Array) => {
    out.set(householderSingularValues(a, m, n));
    return true;
  };
  return {
    description: 'test host',
    singularValues: (a, m, n, out) => (calls.sync++, compute(a, m, n, out)),
    singularValuesAsync: (a, m, n, out) => {
      const call = calls.async++;
      return new Promise((resolve) => setTimeout(() => resolve(compute(a, m, n, out)), delay(call)));
    },
  };
}

const withoutAsync = (host: HostSingularValues): HostSingularValues => ({ description: host.description, singularValues: host.singularValues });

const comparable = (r: RunResult) => ({ ...r, elapsedSeconds: 0 });

const spec = (overrides: object = {}) =>
  parseSpec({
    n: 10,
    depth: 3,
    target: { kind: 'lowRankPlusNoise', rank: 2, noise: 0.01, seed: 4 },
    init: { kind: 'gaussian', alpha: 0.1, seed: 2 },
    stepSize: 0.05,
    steps: 400,
    log: { points: 60 },
    ...overrides,
  });

describe('logged singular values computed off the main thread', () => {
  it('record the same run as the synchronous routine, whatever the delays', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      setHostSingularValues(withoutAsync(fakeHost(() => 0, calls)));
      const reference = await runExperiment(spec());
      expect(calls.async).toBe(0);
      expect(calls.sync).toBe(reference.steps.length);
      // Irregular delays: a slow point is followed by fast ones, so completions would reorder
      // if more than one were in flight.
      setHostSingularValues(fakeHost((k) => (k % 3 === 0 ? 15 : 0), calls));
      const overlapped = await runExperiment(spec());
      expect(calls.async).toBe(reference.steps.length);
      expect(comparable(overlapped)).toEqual(comparable(reference));
    }));

  it('stop a diverging run at the same step with the same trajectory', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      const diverging = spec({ stepSize: 3, log: { every: 1 }, steps: 200 });
      setHostSingularValues(withoutAsync(fakeHost(() => 0, calls)));
      const reference = await runExperiment(diverging);
      expect(reference.stopped.kind).toBe('diverged');
      setHostSingularValues(fakeHost(() => 5, calls));
      const overlapped = await runExperiment(diverging);
      expect(comparable(overlapped)).toEqual(comparable(reference));
    }));

  it('stop at the point where onPoint cancels, keeping the points before it', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      setHostSingularValues(fakeHost(() => 10, calls));
      const controller = new AbortController();
      let seen = 0;
      const result = await runExperiment(spec(), { signal: controller.signal, onPoint: () => ++seen === 7 && controller.abort() });
      expect(result.stopped.kind).toBe('cancelled');
      expect(result.steps).toHaveLength(7);
      expect(result.stopped.step).toBe(result.steps[6]);
    }));

  it('give onPoint the product at the logged step, not the current one', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      setHostSingularValues(fakeHost(() => 10, calls));
      const mismatches: number[] = [];
      await runExperiment(spec({ steps: 100, log: { every: 10 } }), {
        onPoint: (point, view) => {
          const s = singularValues(view.product());
          if (Math.abs(s[0] - point.singularValues[0]) > 1e-12 * s[0]) mismatches.push(point.step);
        },
      });
      expect(calls.async).toBe(11);
      expect(mismatches).toEqual([]);
    }));

  it('compute one at a time, while the steps go on past a slow one', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      const host = fakeHost((k) => (k === 0 ? 300 : 0), calls);
      let running = 0;
      let maxRunning = 0;
      setHostSingularValues({
        ...host,
        singularValuesAsync: async (...args) => {
          maxRunning = Math.max(maxRunning, ++running);
          try {
            return await host.singularValuesAsync!(...args);
          } finally {
            running--;
          }
        },
      });
      let latestStep = 0;
      let stepWhenFirstArrived = -1;
      const result = await runExperiment(spec({ steps: 200, log: { every: 1 } }), {
        onProgress: ({ step }) => (latestStep = step),
        onPoint: (point) => point.step === 0 && (stepWhenFirstArrived = latestStep),
      });
      expect(result.steps).toHaveLength(201);
      expect(maxRunning).toBe(1);
      // Logged steps queued up behind the slow first one instead of waiting for it.
      expect(stepWhenFirstArrived).toBeGreaterThan(5);
    }));

  it('end the run with the error of an onPoint that throws', () =>
    withBackend('cpu', async () => {
      setHostSingularValues(fakeHost(() => 5, { sync: 0, async: 0 }));
      const run = runExperiment(spec(), { onPoint: (point) => { if (point.step > 0) throw new Error('onPoint failed'); } });
      await expect(run).rejects.toThrow('onPoint failed');
    }));

  it.skipIf(!loadNative()?.singularValuesAsync)('native: LAPACK on a pool thread gives the values of the synchronous call', async () => {
    const native = loadNative()!;
    const n = 64;
    const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 0.37) + (i % (n + 1) === 0 ? 2 : 0));
    const sync = new Float64Array(n);
    expect(native.singularValues(Float64Array.from(a), n, n, sync)).toBe(0);
    const outs = Array.from({ length: 4 }, () => new Float64Array(n));
    const infos = await Promise.all(outs.map((out) => native.singularValuesAsync!(Float64Array.from(a), n, n, out)));
    expect(infos).toEqual([0, 0, 0, 0]);
    for (const out of outs) expect(Array.from(out)).toEqual(Array.from(sync));
  });
});
