import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import type { RunResult } from '../../core/result';
import { quietly } from '../helpers/cliOutput';

// `dfl export` writes every logged series, the plateaus and the spec for NumPy, and the shipped
// Python example redraws a run and a sweep from them. The round trip is exact (float64): checked
// here byte for byte in TypeScript, and with numpy.load in Python where NumPy is installed.

const PYTHON = process.env.DFL_PYTHON ?? '/usr/bin/python3';
const missing = !existsSync(PYTHON)
  ? `${PYTHON} not found`
  : ['numpy', 'pandas', 'matplotlib'].find((m) => spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status !== 0);
const skipPython = missing ? `skipped: ${missing.includes(' ') ? missing : `${PYTHON} cannot import ${missing}`} (apt-get install -y python3-numpy python3-pandas python3-matplotlib)` : '';
if (skipPython) console.warn(`Python export tests ${skipPython}`);

const root = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'dfl-export-'));

/** A .npy file's float64 values and shape (the writer's format: version 1.0, '<f8', C order). */
function readNpy(file: string): { shape: number[]; values: number[] } {
  const bytes = readFileSync(file);
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  expect(header).toContain("'descr': '<f8', 'fortran_order': False");
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: count }, (_, i) => bytes.readDoubleLE(10 + headerLength + 8 * i));
  return { shape, values };
}

// A denoising run with every optional series: ground truth, balancedness.
const spec = {
  n: 8,
  depth: 3,
  target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0.05, seed: 2 },
  init: { kind: 'identity', alpha: 0.1 },
  stepSize: 0.01,
  steps: 1500,
  log: { points: 60 },
  record: { balancedness: true },
};

async function exported(): Promise<{ result: RunResult; npy: string }> {
  const specFile = path.join(dir, 'denoise.dfl.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const out = path.join(dir, 'denoise.json');
  const npy = path.join(dir, 'denoise-npy');
  if (!existsSync(npy)) {
    expect(await quietly(() => main(['run', specFile, '--out', out, '--quiet']))).toBe(0);
    expect(await quietly(() => main(['export', out, '--npy', npy]))).toBe(0);
  }
  return { result: JSON.parse(readFileSync(out, 'utf8')) as RunResult, npy };
}

describe('dfl export: every logged series', () => {
  it('writes each series of the result, exactly, and names them in index.json', async () => {
    const { result, npy } = await exported();
    const index = JSON.parse(readFileSync(path.join(npy, 'index.json'), 'utf8'));
    expect(index.spec).toEqual(result.spec);
    expect(index.measure).toBe('entropy');
    const same = (name: string, expected: readonly number[], shape: number[]) => {
      const got = readNpy(path.join(npy, name));
      expect(got.shape, name).toEqual(shape);
      // Exact: every float64 as in the JSON (Object.is also tells 0 from -0).
      expect(got.values.every((v, i) => Object.is(v, expected[i])), name).toBe(true);
    };
    const steps = result.steps.length;
    same(index.files.steps, result.steps, [steps]);
    same(index.series.loss, result.loss, [steps]);
    same(index.series.effectiveRank, result.effectiveRank, [steps]);
    same(index.files.singularValues, result.singularValues.flat(), [steps, result.singularValuesKept]);
    same(index.series.distanceToBestRank, result.distanceToBestRank.flat(), [steps, result.distanceToBestRank[0].length]);
    same(index.series.groundTruthError, result.groundTruthError!, [steps]);
    same(index.series.balancedness, result.balancedness!.flat(), [steps, 2]);
    same(index.series.targetEffectiveRanks, result.targetEffectiveRanks, [result.targetEffectiveRanks.length]);
    same(index.series.targetSingularValues, result.target.singularValues, [result.target.singularValues.length]);
    expect(Object.keys(index.series.measures).sort()).toEqual(['entropy', 'nuclear', 'numerical', 'stable']);
    expect(index.series.measures.entropy).toBe(index.series.effectiveRank);
    // The plateaus: as in the result (kind, ε) and as numeric tables.
    expect(index.plateaus.measured).toEqual(result.measured.plateaus);
    expect(index.plateaus.predicted).toEqual(result.predicted.plateaus);
    expect(result.measured.plateaus.length).toBeGreaterThan(0);
    same(index.plateaus.measuredFile, result.measured.plateaus.flatMap((p) => [p.L, p.start, p.end, p.epsilon, p.kind === 'crossing' ? 1 : 0]), [result.measured.plateaus.length, 5]);
    same(index.plateaus.predictedFile, result.predicted.plateaus.flatMap((p) => [p.L, p.start, p.end, p.epsilon, p.hypothesesMet ? 1 : 0]), [result.predicted.plateaus.length, 5]);
  });

  it.skipIf(skipPython !== '')('numpy.load gives back every series exactly as float64', async () => {
    const { npy } = await exported();
    const check = `
import json, os, sys
import numpy as np
d = sys.argv[1]
result = json.load(open(sys.argv[2]))
index = json.load(open(os.path.join(d, "index.json")))
load = lambda name: np.load(os.path.join(d, name))
pairs = {"loss": result["loss"], "effectiveRank": result["effectiveRank"], "distanceToBestRank": result["distanceToBestRank"],
         "groundTruthError": result["groundTruthError"], "balancedness": result["balancedness"],
         "targetEffectiveRanks": result["targetEffectiveRanks"], "targetSingularValues": result["target"]["singularValues"]}
for key, expected in pairs.items():
    a = load(index["series"][key])
    assert a.dtype == np.float64, (key, a.dtype)
    assert np.array_equal(a, np.array(expected, dtype=np.float64)), key
assert np.array_equal(load(index["files"]["singularValues"]), np.array(result["singularValues"]))
m = load(index["plateaus"]["measuredFile"])
assert [list(r[:3]) for r in m] == [[p["L"], p["start"], p["end"]] for p in result["measured"]["plateaus"]]
print("exact", len(pairs) + 1)
`;
    const r = spawnSync(PYTHON, ['-c', check, npy, path.join(dir, 'denoise.json')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('exact 8');
  });

  it.skipIf(skipPython !== '')('examples/plot_run.py redraws an exported run and a sweep summary (pandas.read_csv in one line)', async () => {
    const { npy } = await exported();
    const sweepFile = path.join(dir, 'alpha.dfl-sweep.json');
    writeFileSync(
      sweepFile,
      JSON.stringify({
        base: { n: 10, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 1500, log: { points: 60 } },
        axes: { 'init.alpha': [0.05, 0.1], depth: [2, 3] },
      }),
    );
    const sweepOut = path.join(dir, 'alpha');
    expect(await quietly(() => main(['sweep', sweepFile, '--out', sweepOut, '--jobs', '1', '--quiet']))).toBe(0);
    const png = path.join(dir, 'both.png');
    const r = spawnSync(PYTHON, [path.join(root, 'examples', 'plot_run.py'), npy, '--sweep', path.join(sweepOut, 'summary.csv'), '--out', png], { encoding: 'utf8', env: { ...process.env, MPLBACKEND: 'Agg' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^wrote .*both\.png: 60 logged steps, \d+ measured and \d+ predicted plateaus, 4 sweep runs\n$/);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    // The summary's types as pandas reads them: numbers, booleans, text, NaN for empty cells.
    const types = spawnSync(
      PYTHON,
      ['-c', 'import sys, pandas as pd; d = pd.read_csv(sys.argv[1]); print(d["init.alpha"].dtype, d["depth"].dtype, d["diverged"].dtype, d["measured.L1.kind"].dtype, len(d))', path.join(sweepOut, 'summary.csv')],
      { encoding: 'utf8' },
    );
    expect(types.stdout.trim()).toBe('float64 int64 bool object 4');
  });
});
