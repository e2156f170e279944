import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../core/claims/wilson';

// Reference values: the Wilson score interval at z = 1.96, (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n),
// computed independently in Python (float64); 5/10 → 0.2366–0.7634 and 0/10 → 0–0.2775 are also the
// textbook values.
const REFERENCE: [k: number, n: number, low: number, high: number][] = [
  [0, 10, 0, 0.2775401687666166],
  [10, 10, 0.7224598312333834, 1],
  [5, 10, 0.23658959361548731, 0.7634104063845126],
  [1, 20, 0.008881219432873136, 0.23613589351256675],
  [37, 50, 0.6044657801100008, 0.8412862034863262],
  [0, 1, 0, 0.7934567085261071],
  [1, 1, 0.20654329147389294, 1],
  [150, 200, 0.6856577652038048, 0.8049192318370347],
];

describe('wilsonInterval', () => {
  it.each(REFERENCE)('%i of %i', (k, n, low, high) => {
    const interval = wilsonInterval(k, n);
    expect(interval.low).toBeCloseTo(low, 12);
    expect(interval.high).toBeCloseTo(high, 12);
  });

  it('stays inside [0, 1] and is not empty at k = 0 and k = n', () => {
    for (const n of [1, 2, 5, 30, 1000]) {
      const none = wilsonInterval(0, n);
      const all = wilsonInterval(n, n);
      expect(none.low).toBe(0);
      expect(none.high).toBeGreaterThan(0);
      expect(all.high).toBe(1);
      expect(all.low).toBeLessThan(1);
      // Symmetric: k of n and n − k of n mirror each other about ½.
      expect(all.low).toBeCloseTo(1 - none.high, 12);
    }
  });

  it('says nothing about a proportion of no cases: n = 0 gives [0, 1]', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('contains k/n and narrows as n grows at the same proportion', () => {
    let width = Infinity;
    for (const n of [10, 100, 1000, 10000]) {
      const { low, high } = wilsonInterval(0.3 * n, n);
      expect(low).toBeLessThan(0.3);
      expect(high).toBeGreaterThan(0.3);
      expect(high - low).toBeLessThan(width);
      width = high - low;
    }
  });

  it('a wider z gives a wider interval (z = 2.576 for 99 %)', () => {
    const i95 = wilsonInterval(7, 20);
    const i99 = wilsonInterval(7, 20, 2.576);
    expect(i99.low).toBeLessThan(i95.low);
    expect(i99.high).toBeGreaterThan(i95.high);
    // Python reference at z = 2.576.
    expect(i99.low).toBeCloseTo(0.1463848810902782, 12);
    expect(i99.high).toBeCloseTo(0.6283541766341898, 12);
  });
});
