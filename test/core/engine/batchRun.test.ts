import { describe, expect, it } from 'vitest';
import { batchKey, runBatch } from '../../../core/engine/batchRun';
import { runExperiment } from '../../../core/engine/runExperiment';
import { NODE_BACKENDS, useNodeBackend } from '../../../node/platform';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';
import { buildTarget } from '../../../core/targets/buildTarget';
import { matrixPathTolerance } from '../../../core/theory/float32Tolerance';

const spec = (overrides: Record<string, unknown>) =>
  parseSpec({ n: 10, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 600, log: { points: 30 }, ...overrides });

/** Everything of a result except its wall-clock time. */
const timeless = ({ elapsedSeconds: _, ...rest }: RunResult) => rest;

describe('runBatch', () => {
  it('gives spectral members exactly the results of runExperiment', async () => {
    const specs = [spec({}), spec({ depth: 4, stepSize: 0.005 }), spec({ init: { kind: 'identity', alpha: 0.05 } }), spec({ n: 6, target: { kind: 'spectrum', eigenvalues: [3, 1] } })];
    const batch = await runBatch(specs);
    for (let i = 0; i < specs.length; i++) expect(timeless(batch[i])).toEqual(timeless(await runExperiment(specs[i])));
    expect(new Set(specs.map((s) => batchKey(s))).size).toBe(1);
  });

  it('stops a diverging member at a logged step and keeps the others going', async () => {
    const [ok, bad] = await runBatch([spec({}), spec({ stepSize: 2 })]);
    expect(ok.stopped.kind).toBe('completed');
    expect(bad.stopped.kind).toBe('diverged');
    expect(bad.stopped.reason).toMatch(/bound/);
    expect(bad.steps).toContain(0);
  });

  it('returns cancelled results on abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const [r] = await runBatch([spec({})], { signal: controller.signal });
    expect(r.stopped.kind).toBe('cancelled');
  });
});

describe.runIf(NODE_BACKENDS.includes('native'))('runBatch, matrix members on the native batched kernel', () => {
  it('is registered with the native backend', async () => {
    const accelerators = await useNodeBackend('native');
    expect(accelerators.batch ?? null).not.toBeNull();
    expect(batchKey(spec({ init: { kind: 'gaussian', alpha: 0.1, seed: 1 } }), accelerators)).toMatch(/^matrix 10 3/);
  });

  it('matches the exact spectral path within the derived float32 tolerance (docs/theory.md Proposition 7.2)', async () => {
    const accelerators = await useNodeBackend('native');
    const specs = [spec({ engine: 'matrix' }), spec({ engine: 'matrix', init: { kind: 'identity', alpha: 0.2 } }), spec({ engine: 'matrix', n: 16 })];
    const batch = await runBatch(specs, { accelerators });
    for (let m = 0; m < specs.length; m++) {
      const exact = await runExperiment({ ...specs[m], engine: 'auto' });
      expect(batch[m].engine).toMatchObject({ path: 'matrix', backend: 'native-batched', precision: 'float32' });
      expect(batch[m].engine.blas).toMatch(/batched kernel/);
      expect(batch[m].engine.lapack).toMatch(/./);
      expect(batch[m].steps).toEqual(exact.steps);
      const { tolerance, validThrough } = matrixPathTolerance(specs[m], buildTarget(specs[m]).eigenvalues!, exact.steps);
      // Checked where the first-order model behind the tolerance holds (all steps but for n = 16,
      // whose 12 zero eigenvalues make the saddle of Remark 7.3 amplify rounding late in the run).
      const checked = exact.steps.filter((k) => k <= validThrough).length;
      expect(checked).toBeGreaterThan(20);
      for (let t = 0; t < checked; t++) exact.singularValues[t].forEach((s, i) => expect(Math.abs(s - batch[m].singularValues[t][i])).toBeLessThanOrEqual(tolerance[t]));
    }
  });

  it("gives each member the same numbers whatever else is in the batch", async () => {
    const accelerators = await useNodeBackend('native');
    const gaussian = (seed: number) => spec({ init: { kind: 'gaussian', alpha: 0.1, seed } });
    const alone = await runBatch([gaussian(3)], { accelerators });
    const together = await runBatch([gaussian(1), gaussian(2), gaussian(3), spec({})], { accelerators });
    expect(timeless(together[2])).toEqual(timeless(alone[0]));
    expect(together[2].loss.at(-1)!).toBeLessThan(together[2].loss[0]);
  });
});

// The tfjs batched kernel (core/engine/tfjsBatchKernel.ts): the host matrix path's step with
// batched matMuls, so on the same backend it is TfjsDynamics' arithmetic, op for op.
describe.each(['cpu', 'wasm'] as const)('runBatch, matrix members on the tfjs batched kernel (%s)', (backend) => {
  const gaussian = (seed: number, overrides: Record<string, unknown> = {}) => spec({ init: { kind: 'gaussian', alpha: 0.1, seed }, ...overrides });

  it('is registered with the tfjs backend and names it in the results', async () => {
    const accelerators = await useNodeBackend(backend);
    expect(accelerators.batch?.backend).toBe(`${backend}-batched`);
    expect(batchKey(gaussian(1), accelerators)).toMatch(/^matrix 10 3/);
    const [r] = await runBatch([gaussian(1)], { accelerators });
    expect(r.engine).toMatchObject({ path: 'matrix', backend: `${backend}-batched`, precision: 'float32' });
  });

  it("has runExperiment's matrix path's singular values on the same backend, bit for bit", async () => {
    const accelerators = await useNodeBackend(backend);
    const specs = [gaussian(1), gaussian(2, { stepSize: 0.02 }), spec({ engine: 'matrix', init: { kind: 'identity', alpha: 0.2 } })];
    const batch = await runBatch(specs, { accelerators });
    for (let m = 0; m < specs.length; m++) {
      const single = await runExperiment(specs[m], { accelerators: { singularValues: accelerators.singularValues } });
      expect(single.engine.backend).toBe(backend);
      expect(batch[m].steps).toEqual(single.steps);
      expect(batch[m].singularValues).toEqual(single.singularValues);
      // The loss: float64 from the float32 product here, a float32 reduction on tfjs there.
      batch[m].loss.forEach((l, t) => expect(Math.abs(l - single.loss[t])).toBeLessThanOrEqual(1e-5 * Math.max(1, single.loss[t])));
    }
  });

  it('gives each member the same numbers whatever else is in the batch, and drops a diverging one', async () => {
    const accelerators = await useNodeBackend(backend);
    const alone = await runBatch([gaussian(3)], { accelerators });
    const together = await runBatch([gaussian(1), gaussian(2, { stepSize: 3 }), gaussian(3), spec({})], { accelerators });
    expect(timeless(together[2])).toEqual({ ...timeless(alone[0]) });
    expect(together[1].stopped.kind).toBe('diverged');
    expect(together[2].loss.at(-1)!).toBeLessThan(together[2].loss[0]);
  });
});
