import { describe, expect, it } from 'vitest';
import { ESTIMATE_AFTER_SECONDS, estimateRemainingSeconds, formatDuration, LONG_RUN_SECONDS, longRunMessage, longRunWatch } from '../../../core/engine/runTimeEstimate';

describe('run-time estimate', () => {
  it('extrapolates the measured speed, only after enough was measured', () => {
    expect(estimateRemainingSeconds({ step: 100, steps: 1000 }, 2)).toBe(18); // 900 steps at 50 steps/s
    expect(estimateRemainingSeconds({ step: 100, steps: 1000 }, ESTIMATE_AFTER_SECONDS / 2)).toBeUndefined();
    expect(estimateRemainingSeconds({ step: 0, steps: 1000 }, 5)).toBeUndefined();
  });

  it('formats durations in the unit a reader wants', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(12 * 60)).toBe('12 min');
    expect(formatDuration(3.2 * 3600)).toBe('3.2 h');
    expect(formatDuration(4.1 * 86400)).toBe('4.1 days');
  });

  it('judges a run once, from its first report on, against the limit', () => {
    let t = 0;
    const watch = longRunWatch(() => t, LONG_RUN_SECONDS);
    expect(watch(10, 1_000_010)).toBeUndefined(); // the first report starts the clock
    t = 500;
    expect(watch(20, 1_000_010)).toBeUndefined(); // 0.5 s: too little measured
    t = 2000;
    // 40 steps in 2 s: 20 steps/s, 999,970 steps to go ≈ 50,000 s > 600 s.
    const long = watch(50, 1_000_010)!;
    expect(long.stepsPerSecond).toBe(20);
    expect(long.remainingSeconds).toBeCloseTo(999_960 / 20, 6);
    t = 4000;
    expect(watch(90, 1_000_010)).toBeUndefined(); // judged once
    const short = longRunWatch(() => t);
    short(0, 100);
    t = 6000;
    expect(short(50, 100)).toBeUndefined();
    expect(longRunMessage('run', long, 'press Ctrl+C')).toBe('run will take about 14 h more (20.0 steps/s measured on this machine, 1000010 steps); press Ctrl+C');
  });
});
