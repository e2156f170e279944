import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { logSchedule } from '../../../core/trajectory/logSchedule';

describe('logSchedule', () => {
  it('logs every k steps, always including 0 and the last step', () => {
    expect(logSchedule(25, { every: 10 })).toEqual([0, 10, 20, 25]);
    expect(logSchedule(0, { every: 10 })).toEqual([0]);
  });

  it('spaces points linearly', () => {
    expect(logSchedule(100, { points: 5, scale: 'linear' })).toEqual([0, 25, 50, 75, 100]);
  });

  it('gives exactly `points` unique ascending steps with log spacing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 2000 }), (steps, points) => {
        const s = logSchedule(steps, { points, scale: 'log' });
        expect(s[0]).toBe(0);
        expect(s[s.length - 1]).toBe(steps);
        expect(s.length).toBe(Math.min(points, steps + 1));
        for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
      }),
    );
  });
});
