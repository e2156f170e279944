import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../../node/platform';
import { balancedness } from '../../../core/engine/balancedness';
import { runExperiment } from '../../../core/engine/runExperiment';
import { flowTimeLaw } from '../../../core/report/flowTimeLaw';
import { parseSpec } from '../../../core/spec/parseSpec';
import { asymptoticTime } from '../../../core/theory/flowTime';

const base = { n: 10, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2, 1], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 1500, log: { points: 80 } };

describe('spec.record', () => {
  beforeAll(() => useNodeBackend('cpu'));
  it('keeps W(k) at requested steps (added to the logged ones) with Ŵ and Ŵ_L', async () => {
    const result = await runExperiment(parseSpec({ ...base, record: { snapshots: [123, 777] } }));
    expect(result.steps).toEqual(expect.arrayContaining([123, 777]));
    expect(result.snapshots!.steps).toEqual([123, 777]);
    expect(result.snapshots!.matrices[0]).toHaveLength(10);
    expect(result.snapshots!.bestRank.map((b) => b.L)).toEqual([1, 2, 3]);
  });

  it('keeps W(k) in the middle of each rank’s longest plateau', async () => {
    const result = await runExperiment(parseSpec({ ...base, record: { snapshots: 'plateauMidpoints' } }));
    const s = result.snapshots!;
    expect(s.steps.length).toBeGreaterThan(0);
    s.steps.forEach((k, i) => {
      const L = Number(/L = (\d+)/.exec(s.reasons[i])![1]);
      expect(result.measured.plateaus.some((p) => p.L === L && p.start <= k && k <= p.end)).toBe(true);
    });
  });

  it('logs balancedness: zero on the spectral path, conserved to O(η) by gradient descent from a random init', async () => {
    const spectral = await runExperiment(parseSpec({ ...base, record: { balancedness: true } }));
    expect(spectral.balancedness!.flat().every((x) => x === 0)).toBe(true);
    const random = await runExperiment(parseSpec({ ...base, init: { kind: 'gaussian', alpha: 0.5, seed: 3 }, record: { balancedness: true } }));
    const b = random.balancedness!;
    expect(b[0]).toHaveLength(2);
    expect(b[0][0]).toBeGreaterThan(0.01);
    expect(Math.abs(b[b.length - 1][0] - b[0][0])).toBeLessThan(0.1 * b[0][0]);
    expect(random.balancedness).toHaveLength(random.steps.length);
  });

  it('balancedness of explicit factors', () => {
    // W1 = diag(1, 2), W2 = diag(3, 4): W2ᵀW2 − W1W1ᵀ = diag(8, 12).
    expect(Array.from(balancedness([[1, 0, 0, 2], [3, 0, 0, 4]], 2))).toEqual([Math.sqrt(64 + 144)]);
  });
});

describe('flowTimeLaw', () => {
  it('gives (3.4) in steps for identity-init runs and nothing otherwise', async () => {
    const result = await runExperiment(parseSpec(base));
    const rows = flowTimeLaw(result);
    expect(rows.map((r) => r.L)).toEqual([1, 2, 3]);
    expect(rows[0].law.start).toBe(Math.round(asymptoticTime(5, 0.1, 3) / 0.01));
    expect(rows[0].law.end).toBe(rows[1].law.start);
    expect(flowTimeLaw({ ...result, spec: parseSpec({ ...base, init: { kind: 'gaussian', alpha: 0.1, seed: 1 } }) })).toEqual([]);
  });
});
