import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The benchmark script's plumbing and output contract, on tiny sizes. Never asserts a
// time: only that every figure is present, finite and positive where it must be.
describe('npm run bench -- --json', () => {
  it('prints one JSON object with the documented fields and nothing else on stdout', () => {
    const root = path.resolve(__dirname, '../..');
    const r = spawnSync(process.execPath, ['bench/run.mjs', '--smoke', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.spectral.componentStepsPerSecond).toBeGreaterThan(0);
    expect(out.matrix.length).toBeGreaterThan(0);
    for (const row of out.matrix) {
      expect(row).toEqual(
        expect.objectContaining({ n: expect.any(Number), depth: 3, backend: expect.any(String), stepsPerSecond: expect.any(Number) }),
      );
      expect(row).toHaveProperty('numpyF32StepsPerSecond');
      expect(row).toHaveProperty('ratio');
      expect(row.stepsPerSecond).toBeGreaterThan(0);
    }
    expect(out.matrix.map((r: { backend: string }) => r.backend)).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(Number.isFinite(out.logging.overhead)).toBe(true);
    expect(out.logging.singularValues[0].maxDifferenceToMlMatrixRelative).toBeLessThan(1e-12);
    expect(out.memory.peakRssBytes).toBeGreaterThan(0);
    // No tensor growth over a run, on the tfjs backend and on the default one.
    expect(out.memory.tensorsAfter).toBe(out.memory.tensorsBefore);
    expect(out.memory.wasm.tensorsAfter).toBe(out.memory.wasm.tensorsBefore);
  });
});
