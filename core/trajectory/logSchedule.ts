import type { LogSpec } from '../spec/schema';

/**
 * The steps at which a run records singular values: always 0 and the last step; `every` k
 * steps, or `points` spread linearly or logarithmically (log spacing resolves the early drop and
 * the late plateaus of a run alike). Ascending, unique.
 */
export function logSchedule(steps: number, log: LogSpec): number[] {
  if (steps === 0) return [0];
  const out = new Set<number>([0, steps]);
  if ('every' in log) {
    for (let k = log.every; k < steps; k += log.every) out.add(k);
  } else if (log.points >= steps + 1) {
    for (let k = 1; k < steps; k++) out.add(k);
  } else if (log.scale === 'linear') {
    for (let i = 1; i < log.points - 1; i++) out.add(Math.round((i * steps) / (log.points - 1)));
  } else {
    // Geometric from 1 to `steps`; rounding merges the first few, so fill up with the smallest
    // missing steps until `points` are reached.
    const m = log.points - 1;
    for (let i = 0; i < m - 1; i++) out.add(Math.round(Math.exp((Math.log(steps) * i) / (m - 1))));
    for (let k = 1; out.size < log.points && k < steps; k++) out.add(k);
  }
  return Array.from(out).sort((a, b) => a - b);
}
