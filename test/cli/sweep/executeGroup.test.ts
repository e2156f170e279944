import { describe, expect, it } from 'vitest';
import { runGroup } from '../../../cli/sweep/executeGroup';
import { recordExperiment } from '../../../core/engine/runExperiment';
import type { RunResult } from '../../../core/result';
import { parseSpec } from '../../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../../core/spec/schema';
import { toRunResult } from '../../../core/trajectory/recorder';
import { nodeTargetSources, useNodeBackend } from '../../../node/platform';

const timeless = ({ elapsedSeconds: _, ...rest }: RunResult) => rest;

describe('runGroup', () => {
  it('gives each lone run the result it has alone, though runs of one target share it (seeds, α, and n sharing the target object)', async () => {
    const first = parseSpec({ n: 40, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 4 }, init: { kind: 'gaussian', alpha: 0.2, seed: 1 }, stepSize: 0.02, steps: 30, engine: 'matrix', log: { points: 5 } });
    // Variants share the target object, as a sweep's expansion makes them; n = 41 must not get n = 40's target.
    // (n above the batched kernel's limit: these runs go one at a time, where targets are shared.)
    const init = first.init as Extract<ExperimentSpec['init'], { kind: 'gaussian' }>;
    const specs: ExperimentSpec[] = [
      first,
      { ...first, init: { ...init, seed: 2 } },
      { ...first, init: { ...init, alpha: 0.3 } },
      { ...first, n: 41 },
      { ...first, n: 130 }, // from n = 128 the eigenvectors' QR is LAPACK's, through the target sources
      { ...first, target: { ...first.target, seed: 5 } as ExperimentSpec['target'] },
    ];
    const options = { backend: 'native', baseDir: process.cwd() };
    const accelerators = await useNodeBackend('native');
    for (const spec of specs) {
      const [shared] = await runGroup([{ spec }], options);
      const alone = toRunResult(await recordExperiment(spec, { accelerators, sources: nodeTargetSources(process.cwd()) }));
      expect(timeless(shared)).toEqual(timeless(alone));
    }
    // Different targets give different runs (the comparison above can tell them apart).
    const [a, , , b, , c] = await Promise.all(specs.map(async (spec) => (await runGroup([{ spec }], options))[0]));
    expect(b.target.singularValues.length).toBe(41);
    expect(a.engine.backend).toBe('native');
    expect(c.loss).not.toEqual(a.loss);
  });
});
