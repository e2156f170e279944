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

/** What `longRunWatch` says about a long run: the seconds still to go and the speed measured. */
export interface LongRun {
  remainingSeconds: number;
  stepsPerSecond: number;
  steps: number;
}

/**
 * A watch over one run's progress reports (the CLI's bar, the extension's runs, the Lab): the
 * speed is measured from the first report on (the setup is not counted), and once enough was
 * measured the run is judged, once. Returns a LongRun on that report when the run is estimated
 * to take longer than `limitSeconds`, else undefined (every other report).
 */
export function longRunWatch(now: () => number = () => Date.now(), limitSeconds = LONG_RUN_SECONDS): (step: number, steps: number) => LongRun | undefined {
  let first: { t: number; step: number } | undefined;
  let judged = false;
  return (step, steps) => {
    const t = now();
    first ??= { t, step };
    if (judged) return undefined;
    const remaining = estimateRemainingSeconds({ step: step - first.step, steps: steps - first.step }, (t - first.t) / 1000);
    if (remaining === undefined) return undefined;
    judged = true;
    if (remaining <= limitSeconds) return undefined;
    return { remainingSeconds: remaining, stepsPerSecond: ((step - first.step) * 1000) / Math.max(1, t - first.t), steps };
  };
}

/** The one-line announcement of a long run (`how` says how to stop it where it runs). */
export function longRunMessage(name: string, long: LongRun, how: string): string {
  return `${name} will take about ${formatDuration(long.remainingSeconds)} more (${long.stepsPerSecond.toPrecision(3)} steps/s measured on this machine, ${long.steps} steps); ${how}`;
}
