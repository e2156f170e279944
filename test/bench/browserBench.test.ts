import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The browser benchmark's plumbing and output contract, on tiny sizes, in
// Debian's Chromium with SwiftShader WebGL (dist/webview/bench.js is built by the global setup).
// Never asserts a time: only that every figure is present, finite and positive.
describe('node bench/browser.mjs --smoke --json', () => {
  it('prints one JSON object with the documented fields and nothing else on stdout', () => {
    const root = path.resolve(__dirname, '../..');
    const r = spawnSync(process.execPath, ['bench/browser.mjs', '--smoke', '--json'], { cwd: root, encoding: 'utf8', timeout: 150_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

    expect(out.mode).toBe('smoke');
    expect(out.note).toMatch(/SwiftShader.*CPU emulation/);
    expect(out.backend).toEqual(expect.objectContaining({ selected: 'webgl', fallback: null, webglVersion: 2 }));
    expect(out.backend.renderer).toEqual(expect.any(String));

    expect(out.matrix.map((m: { backend: string }) => m.backend)).toEqual(['webgl', 'cpu']);
    for (const row of out.matrix) {
      expect(row).toEqual(expect.objectContaining({ n: 16, depth: 3, stepsPerWindow: expect.any(Number), windows: expect.any(Number) }));
      expect(positive(row.stepsPerSecond), JSON.stringify(row)).toBe(true);
      expect(positive(row.gflops), JSON.stringify(row)).toBe(true);
      // No tensor growth over a measurement.
      expect(row.tensorsAfter).toBe(row.tensorsBefore);
    }
    expect(out.ratios).toHaveLength(1);
    expect(out.ratios[0]).toEqual(expect.objectContaining({ n: 16, backend: 'webgl' }));
    expect(positive(out.ratios[0].ratioToCpu)).toBe(true);

    // The batched kernel on WebGL: timed, and every member within the float32 tolerance (7.2).
    expect(out.batch).toHaveLength(1);
    const b = out.batch[0];
    expect(b).toEqual(expect.objectContaining({ backend: 'webgl', n: 16, depth: 3, steps: 20, members: 4, singleRuns: 2 }));
    for (const x of [b.batchedRunsPerSecond, b.singleRunsPerSecond, b.ratio, b.checkedSteps]) expect(positive(x), JSON.stringify(b)).toBe(true);
    expect(b.worstToleranceRatio).toBeLessThanOrEqual(1);

    const p = out.plots;
    expect(p).toEqual(expect.objectContaining({ series: 10, points: 200, appended: 100 }));
    for (const x of [p.plotWidthPx, p.drawnPointsPerSeries, p.firstDrawMs, p.fullRedraw.medianMs, p.fullRedraw.scriptMedianMs, p.incremental.medianMs, p.incremental.scriptMedianMs])
      expect(positive(x), JSON.stringify(p)).toBe(true);
    expect(p.fullRedraw.runs).toBeGreaterThan(0);
    expect(p.incremental.runs).toBeGreaterThan(0);
    expect(positive(out.totalSeconds)).toBe(true);
  });
});
