import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';

// The run table reads without the docs: the setting in its header, a legend, and a reason in
// words for every rank without a prediction. The README's sample is what the command prints.

const io = captureOutput();
const root = path.join(__dirname, '..', '..');
const example = path.join(root, 'examples', 'first.dfl.json');

/** The lines of `out` that follow the table and name a missing prediction. */
const reasons = (out: string) => out.split('\n').filter((l) => l.startsWith('no prediction for L = '));

describe('dfl run output', () => {
  it('states the setting in the header and explains the columns under the table', async () => {
    expect(await main(['run', example, '--quiet'])).toBe(0);
    const [head, end] = io.out.split('\n');
    expect(head).toBe(
      'first: N = 3, n = 20, α = 0.1, η = 0.005, identity init, target spectrum [10, 6, 3, 1.5] + 16 zeros, estimation, nuclear rank ‖W‖*/‖W‖₂, ε = 0.1; spectral path (float64, float64)',
    );
    expect(end).toMatch(/^completed at step 4000, final loss [\d.e-]+, r\* 2\.05/);
    for (const word of ['predicted:', 'measured:', '"crossing"', 'runs:', 'tightness:', '—: none']) expect(io.out).toContain(word);
    expect(reasons(io.out)).toEqual([]);
  });

  it('a Gaussian init: every missing prediction names the hypothesis that fails', async () => {
    expect(await main(['run', example, '--set', 'init={"kind":"gaussian","alpha":0.1,"seed":2}', '--set', 'steps=400', '--quiet'])).toBe(0);
    expect(io.out).toContain('gaussian init');
    expect(reasons(io.out)).toEqual(['no prediction for L = 1–4: Theorem 5.10 assumes identity init W_j(0) = αI (Theorem 2.1) or init aligned with Ŵ (Theorem 2.2); this run\'s init is gaussian']);
  });

  it('a non-symmetric target: the reason quotes its asymmetry', async () => {
    const target = '{"kind":"lowRankPlusNoise","rank":3,"noise":0.1,"symmetric":false,"seed":1}';
    expect(await main(['run', example, '--set', `target=${target}`, '--set', 'steps=400', '--quiet'])).toBe(0);
    const lines = reasons(io.out);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^no prediction for L = 1–\d+(, \d+–\d+)?: Theorem 5\.10 assumes a symmetric target with identity init \(Theorem 2\.1; or init aligned with Ŵ, Theorem 2\.2\); this one is not \(‖Ŵ − Ŵᵀ‖_F\/‖Ŵ‖_F = [\d.]+\)$/);
  });

  it('sensing and N = 1 give their own reasons; a step size past (4.1) says why the intervals claim nothing', async () => {
    expect(await main(['run', example, '--set', 'problem={"kind":"sensing","measurements":200,"seed":3}', '--set', 'steps=100', '--quiet'])).toBe(0);
    expect(reasons(io.out)[0]).toContain('Theorem 5.10 assumes the estimation problem (loss ½‖W − Ŵ‖²); this run is sensing with m = 200');
    io.out = '';
    expect(await main(['run', '--preset', 'paper-identity-depths', '--quiet'])).toBe(0);
    const n1 = io.out.split('\n\n')[0];
    expect(reasons(n1).map((l) => /L = (\d)/.exec(l)![1])).toEqual(['1', '2', '3']);
    for (const l of reasons(n1)) expect(l).toMatch(/no step's certified range of r\* lies within ε = 0\.1 of r\*\(Ŵ_\d\) = [\d.]+; the closest certified range is [\d.]+ away \(N = 1: .*Remark 4\.2\)$/);
    io.out = '';
    expect(await main(['run', example, '--set', 'stepSize=0.05', '--set', 'steps=300', '--quiet'])).toBe(0);
    expect(io.out).toContain('(hyp. not met)');
    expect(io.out).toContain('hyp. not met: the intervals are shown but claim nothing, because step size η = 0.05 exceeds 0.01547, the bound (4.1)');
  });
});

describe('README', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

  it("shows what dfl run examples/first.dfl.json prints today", async () => {
    const block = readme.split('```\n$ dfl run examples/first.dfl.json\n')[1]?.split('```')[0];
    expect(block, 'README has the sample block').toBeDefined();
    expect(await main(['run', example, '--quiet'])).toBe(0);
    expect(block).toBe(io.out.replace(/\n+$/, '\n'));
  });

  it("states the preset's tightness range as printed", async () => {
    expect(await main(['run', '--preset', 'paper-identity-depths', '--quiet'])).toBe(0);
    const values = io.out
      .split('\n')
      .filter((l) => /^\d+ /.test(l))
      .map((l) => l.trim().split(/\s+/).pop()!)
      .filter((t) => t !== '—')
      .map(Number);
    const claim = /`dfl run --preset paper-identity-depths` prints tightness ([\d.]+)–([\d.]+) over its (\d+) predicted ranks/.exec(readme.replace(/\n/g, ' '));
    expect(claim, 'README states the range').not.toBeNull();
    expect([Number(claim![1]), Number(claim![2]), Number(claim![3])]).toEqual([Math.min(...values), Math.max(...values), values.length]);
  });
});
