import { afterEach, describe, expect, it } from 'vitest';
import type { SingularValueRoutine } from '../../../core/linalg/accelerators';
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

/** The routine the next runs get (`RunOptions.accelerators`); each test sets its own. */
let routine: SingularValueRoutine | undefined;
afterEach(() => (routine = undefined));
const useRoutine = (r: SingularValueRoutine) => void (routine = r);

/**
 * The TypeScript routine behind a host interface. The async one keeps the host's contract (one
 * at a time, in call order, as the native module's SVD thread does); call k takes `delay(k)` ms.
 */
function fakeHost(delay: (call: number) => number, calls: { sync: number; async: number }): SingularValueRoutine {
  const compute = (a: Float64Array, m: number, n: number, out: Float64Array) => {
    out.set(householderSingularValues(a, m, n));
    return true;
  };
  let previous: Promise<unknown> = Promise.resolve();
  return {
    description: 'test host',
    singularValues: (a, m, n, out) => (calls.sync++, compute(a, m, n, out)),
    singularValuesAsync: (a, m, n, out) => {
      const call = calls.async++;
      const job = previous.then(() => new Promise<boolean>((resolve) => setTimeout(() => resolve(compute(a, m, n, out)), delay(call))));
      previous = job;
      return job;
    },
  };
}

const withoutAsync = (host: SingularValueRoutine): SingularValueRoutine => ({ description: host.description, singularValues: host.singularValues.bind(host) });

const run = (s: Parameters<typeof runExperiment>[0], options: Parameters<typeof runExperiment>[1] = {}) => runExperiment(s, { ...options, accelerators: { singularValues: routine } });

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
      useRoutine(withoutAsync(fakeHost(() => 0, calls)));
      const reference = await run(spec());
      expect(calls.async).toBe(0);
      expect(calls.sync).toBe(reference.steps.length);
      // Irregular delays: a slow point is followed by fast ones, so completions would reorder
      // if more than one were in flight.
      useRoutine(fakeHost((k) => (k % 3 === 0 ? 15 : 0), calls));
      const overlapped = await run(spec());
      expect(calls.async).toBe(reference.steps.length);
      expect(comparable(overlapped)).toEqual(comparable(reference));
    }));

  it('stop a diverging run at the same step with the same trajectory', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      const diverging = spec({ stepSize: 3, log: { every: 1 }, steps: 200 });
      useRoutine(withoutAsync(fakeHost(() => 0, calls)));
      const reference = await run(diverging);
      expect(reference.stopped.kind).toBe('diverged');
      useRoutine(fakeHost(() => 5, calls));
      const overlapped = await run(diverging);
      expect(comparable(overlapped)).toEqual(comparable(reference));
    }));

  it('stop at the point where onPoint cancels, keeping the points before it', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      useRoutine(fakeHost(() => 10, calls));
      const controller = new AbortController();
      let seen = 0;
      const result = await run(spec(), { signal: controller.signal, onPoint: () => ++seen === 7 && controller.abort() });
      expect(result.stopped.kind).toBe('cancelled');
      expect(result.steps).toHaveLength(7);
      expect(result.stopped.step).toBe(result.steps[6]);
    }));

  it('give onPoint the product at the logged step, not the current one', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      useRoutine(fakeHost(() => 10, calls));
      const mismatches: number[] = [];
      await run(spec({ steps: 100, log: { every: 10 } }), {
        onPoint: (point, view) => {
          const s = singularValues(view.product());
          if (Math.abs(s[0] - point.singularValues[0]) > 1e-12 * s[0]) mismatches.push(point.step);
        },
      });
      expect(calls.async).toBe(11);
      expect(mismatches).toEqual([]);
    }));

  it('hand every logged step to the host at once, and go on stepping past a slow one', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      useRoutine(fakeHost((k) => (k === 0 ? 300 : 0), calls));
      let latestStep = 0;
      let stepWhenFirstArrived = -1;
      let callsWhenFirstArrived = -1;
      const result = await run(spec({ steps: 200, log: { every: 1 } }), {
        onProgress: ({ step }) => (latestStep = step),
        onPoint: (point) => point.step === 0 && ((stepWhenFirstArrived = latestStep), (callsWhenFirstArrived = calls.async)),
      });
      expect(result.steps).toEqual(Array.from({ length: 201 }, (_, i) => i));
      // Logged steps queued up behind the slow first one instead of waiting for it: the host had
      // them (so its thread can go on as soon as the first is done) before the first came back.
      expect(stepWhenFirstArrived).toBeGreaterThan(5);
      expect(callsWhenFirstArrived).toBeGreaterThan(5);
    }));

  it('compute a logged step here when the host is far behind, recording the same run', () =>
    withBackend('cpu', async () => {
      const calls = { sync: 0, async: 0 };
      useRoutine(withoutAsync(fakeHost(() => 0, calls)));
      const dense = spec({ steps: 120, log: { every: 1 } });
      const reference = await run(dense);
      calls.sync = 0;
      // Room for 4 snapshots of W (n = 10): at most 2 with the host; each of its SVDs takes 20 ms
      // while a step takes far less, so it soon falls behind.
      useRoutine(fakeHost(() => 20, calls));
      const behind = await run(dense, { queuedSnapshotBytes: 4 * 8 * 10 * 10 });
      expect(calls.sync).toBeGreaterThan(0);
      expect(calls.async).toBeGreaterThan(0);
      expect(calls.sync + calls.async).toBe(reference.steps.length);
      expect(comparable(behind)).toEqual(comparable(reference));
    }));

  it('end the run with the error of an onPoint that throws', () =>
    withBackend('cpu', async () => {
      useRoutine(fakeHost(() => 5, { sync: 0, async: 0 }));
      const failing = run(spec(), { onPoint: (point) => { if (point.step > 0) throw new Error('onPoint failed'); } });
      await expect(failing).rejects.toThrow('onPoint failed');
    }));

  it.skipIf(!loadNative()?.singularValuesAsync)('native: LAPACK on the SVD thread gives the values of the synchronous call', async () => {
    const native = loadNative()!;
    const n = 64;
    const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 0.37) + (i % (n + 1) === 0 ? 2 : 0));
    const sync = new Float64Array(n);
    expect(native.singularValues(Float64Array.from(a), n, n, sync)).toBe(0);
    const outs = Array.from({ length: 4 }, () => new Float64Array(n));
    const inputs = outs.map(() => Float64Array.from(a));
    const infos = await Promise.all(outs.map((out, k) => native.singularValuesAsync!(inputs[k], n, n, out)));
    expect(infos).toEqual([0, 0, 0, 0]);
    for (const out of outs) expect(Array.from(out)).toEqual(Array.from(sync));
    // The input is read, not overwritten (the caller keeps it as the logged step's W).
    for (const input of inputs) expect(input).toEqual(a);
  });

  it.skipIf(!loadNative()?.singularValuesAsync)('native: jobs run one at a time in call order, with one OpenBLAS thread for the caller meanwhile', async () => {
    const native = loadNative()!;
    const before = native.info().threads;
    const matrix = (n: number) => Float64Array.from({ length: n * n }, (_, i) => Math.cos(i * 0.11) + (i % (n + 1) === 0 ? 1 : 0));
    // A large job, then small ones: on a pool of threads the small ones would finish first.
    const sizes = [400, 8, 8, 8, 8, 8];
    const settled: number[] = [];
    native.setThreads(2);
    const jobs = sizes.map((n, k) => {
      const out = new Float64Array(n);
      return native.singularValuesAsync!(matrix(n), n, n, out).then((info) => (settled.push(k), { info, out, n }));
    });
    const threadsWhileQueued = native.info().threads;
    const results = await Promise.all(jobs);
    const threadsAfter = native.info().threads;
    native.setThreads(before);
    expect(settled).toEqual(sizes.map((_, k) => k));
    for (const { info, out, n } of results) {
      const sync = new Float64Array(n);
      native.singularValues(matrix(n), n, n, sync);
      expect(info).toBe(0);
      // Within the routine's error bound (docs/performance.md): the threads differ, so the rounding may.
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - sync[i])).toBeLessThanOrEqual(20 * n * 2 ** -52 * sync[0]);
    }
    if (native.info().config.includes('OpenBLAS')) {
      expect(threadsWhileQueued).toBe(1);
      expect(threadsAfter).toBe(2);
    }
  });
});
