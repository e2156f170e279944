import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A seeded source of uniform and Gaussian float64 numbers (xoroshiro128+ from pure-rand). */
export interface Rng {
  uniform(): number;
  gaussian(): number;
}

/**
 * Deterministic for a given integer seed on every platform, so a spec reproduces the same
 * target and initialization in Node, in the webview and in CI.
 */
export function createRng(seed: number): Rng {
  const generator = xoroshiro128plus(seed | 0);
  let spare: number | undefined;
  const uniform = (): number => uniformFloat64(generator);
  return {
    uniform,
    gaussian() {
      // Box–Muller; the second value of each pair is kept for the next call.
      if (spare !== undefined) {
        const value = spare;
        spare = undefined;
        return value;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spare = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
  };
}
