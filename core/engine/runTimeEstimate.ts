// How long a run will take, from the speed its own first steps measured on this machine: the
// only estimate that holds for every engine, backend, BLAS and n (docs/reliability.md).

/** Runs estimated above this many seconds are announced before they go on (CLI) or asked about. */
export const LONG_RUN_SECONDS = 10 * 60;
/** Seconds of stepping measured before an estimate is trusted. */
export const ESTIMATE_AFTER_SECONDS = 1;

/** Seconds still to go at the measured speed, or undefined while too little has been measured. */
export function estimateRemainingSeconds(progress: { step: number; steps: number }, secondsStepping: number): number | undefined {
  if (progress.step <= 0 || secondsStepping < ESTIMATE_AFTER_SECONDS) return undefined;
  return ((progress.steps - progress.step) * secondsStepping) / progress.step;
}

/** `45 s`, `12 min`, `3.2 h`, `4.1 days`. */
export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toPrecision(2)} h`;
  return `${(seconds / 86400).toPrecision(2)} days`;
}
