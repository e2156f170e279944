import { describe, expect, it } from 'vitest';
import { progressBar, PLAIN_PROGRESS_SECONDS } from '../../cli/progress';
import { estimateRemainingSeconds, formatDuration, LONG_RUN_SECONDS } from '../../core/engine/runTimeEstimate';

// A run that would take days says so once its first second of steps has been measured, and the
// progress shows in logs too (stderr not a terminal), a line every few seconds.

function stream(isTTY: boolean) {
  const lines: string[] = [];
  return { lines, sink: { isTTY, write: (s: string) => (lines.push(s), true) } as unknown as NodeJS.WritableStream & { isTTY?: boolean } };
}

describe('progress and the run-time estimate', () => {
  it('estimates from the measured speed, and only once enough was measured', () => {
    expect(estimateRemainingSeconds({ step: 50, steps: 1000 }, 0.5)).toBeUndefined();
    expect(estimateRemainingSeconds({ step: 100, steps: 1100 }, 2)).toBe(20);
    expect(formatDuration(3 * 86400)).toBe('3.0 days');
    expect(formatDuration(45)).toBe('45 s');
  });

  it('announces a run estimated past the threshold, once, with the speed and how to stop it', () => {
    const { lines, sink } = stream(false);
    let t = 0;
    const bar = progressBar('big run', sink, () => t);
    // 10 steps/s over 10⁷ steps: about 11.6 days.
    for (let s = 0; s <= 40; s++) {
      t = s * 100;
      bar.update(s, 10_000_000, 1);
    }
    const announcements = lines.filter((l) => l.includes('will take about'));
    expect(announcements).toHaveLength(1);
    expect(announcements[0]).toMatch(/big run will take about 12 days more \(10\.0 steps\/s measured on this machine, 10000000 steps\); Ctrl-C stops it/);
    expect(LONG_RUN_SECONDS).toBeLessThan(12 * 86400);
  });

  it('says nothing extra about a short run', () => {
    const { lines, sink } = stream(false);
    let t = 0;
    const bar = progressBar('short', sink, () => t);
    for (let s = 0; s <= 1000; s += 100) {
      t = s;
      bar.update(s, 1000, 1);
    }
    expect(lines.filter((l) => l.includes('will take'))).toEqual([]);
  });

  it('writes a plain line every few seconds when stderr is not a terminal', () => {
    const { lines, sink } = stream(false);
    let t = 0;
    const bar = progressBar('logged', sink, () => t);
    for (let s = 0; s <= 120; s++) {
      t = s * 250; // 30 s in all
      bar.update(s * 10, 10_000, 0.5);
    }
    const progress = lines.filter((l) => l.startsWith('logged: step'));
    expect(progress.length).toBeGreaterThanOrEqual(Math.floor(30 / PLAIN_PROGRESS_SECONDS) - 1);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(30 / PLAIN_PROGRESS_SECONDS));
    expect(progress.every((l) => l.endsWith('\n') && !l.includes('\r') && !l.includes('\x1b'))).toBe(true);
  });
});
