import type { SweepProgress } from '../../core/sweep/runSweep';

/**
 * `--progress json`: for programs that run the sweep (the VS Code extension), one line
 * `{"done":D,"total":T,"failed":F}` on stderr whenever runs finish, on a terminal or not.
 */
function progressJsonLine(p: Pick<SweepProgress, 'done' | 'total' | 'failed'>): string {
  return `${JSON.stringify({ done: p.done, total: p.total, failed: p.failed })}\n`;
}

export function progressLine(name: string, quiet: boolean, json: boolean) {
  const stream = process.stderr;
  const enabled = !quiet && stream.isTTY === true && !json;
  let last = 0;
  let reported = -1;
  return {
    update(p: SweepProgress) {
      if (json) {
        // A line when the count changes; the first (before any run) gives the total.
        if (p.done + p.failed !== reported) stream.write(progressJsonLine(p));
        reported = p.done + p.failed;
        return;
      }
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const left = Number.isFinite(p.secondsLeft) ? `, ${formatSeconds(p.secondsLeft)} left` : '';
      const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
      stream.write(`\r${name}: ${p.done}/${p.total} runs, ${p.runsPerSecond.toFixed(1)} runs/s${left}${failed}\x1b[K`);
    },
    done() {
      if (enabled) stream.write('\r\x1b[K');
    },
  };
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

