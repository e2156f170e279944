import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/random';

describe('createRng', () => {
  it('is deterministic per seed, and different seeds give different streams', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return [rng.uniform(), rng.gaussian(), rng.gaussian(), rng.uniform()];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('draws uniforms in [0, 1) with mean ½ and variance 1/12, Gaussians with mean 0 and variance 1', () => {
    // 2·10⁵ draws: the standard error of a mean is 0.0007 (uniform) and 0.0022 (Gaussian).
    const rng = createRng(12345);
    const count = 200_000;
    let [su, su2, sg, sg2, sg4] = [0, 0, 0, 0, 0];
    let [minU, maxU] = [1, 0];
    for (let i = 0; i < count; i++) {
      const u = rng.uniform();
      const g = rng.gaussian();
      [minU, maxU] = [Math.min(minU, u), Math.max(maxU, u)];
      su += u;
      su2 += u * u;
      sg += g;
      sg2 += g * g;
      sg4 += g ** 4;
    }
    expect(minU).toBeGreaterThanOrEqual(0);
    expect(maxU).toBeLessThan(1);
    expect(Math.abs(su / count - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(su2 / count - 0.25 - 1 / 12)).toBeLessThan(0.004);
    expect(Math.abs(sg / count)).toBeLessThan(0.012);
    expect(Math.abs(sg2 / count - 1)).toBeLessThan(0.02);
    // The fourth moment of a standard normal is 3 (Box–Muller is exact in distribution).
    expect(Math.abs(sg4 / count - 3)).toBeLessThan(0.1);
  });
});
