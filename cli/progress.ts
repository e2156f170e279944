import { estimateRemainingSeconds, formatDuration, LONG_RUN_SECONDS } from '../core/engine/runTimeEstimate';
import { printable } from './terminal';

/** Seconds between two progress lines when stderr is not a terminal (a log file, CI). */
export const PLAIN_PROGRESS_SECONDS = 5;

/**
 * Progress on stderr: a bar redrawn in place on a terminal, else one line every few seconds.
 * Once the first second of steps has been measured, a run estimated to take longer than
 * LONG_RUN_SECONDS says so, once, with how to stop it.
 */
export function progressBar(label: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, now: () => number = Date.now) {
  const tty = stream.isTTY === true;
  const name = printable(label);
  let last = 0;
  let lastPlain = now();
  let estimated = false;
  // Speed is measured from the first progress report on, so the setup (target build) is not counted.
  let first: { t: number; step: number } | undefined;
  return {
    update(step: number, steps: number, loss: number) {
      const t = now();
      first ??= { t, step };
      if (!estimated) {
        const remaining = estimateRemainingSeconds({ step: step - first.step, steps: steps - first.step }, (t - first.t) / 1000);
        if (remaining !== undefined) {
          estimated = true;
          if (remaining > LONG_RUN_SECONDS) {
            const rate = ((step - first.step) * 1000) / Math.max(1, t - first.t);
            stream.write(
              `${tty ? '\r\x1b[K' : ''}dfl: ${name} will take about ${formatDuration(remaining)} more (${rate.toPrecision(3)} steps/s measured on this machine, ${steps} steps); Ctrl-C stops it and keeps the trajectory\n`,
            );
          }
        }
      }
      if (!tty) {
        if (t - lastPlain < PLAIN_PROGRESS_SECONDS * 1000 || step >= steps) return;
        lastPlain = t;
        stream.write(`${name}: step ${step}/${steps} (${Math.floor((100 * step) / Math.max(1, steps))} %), loss ${loss.toPrecision(3)}\n`);
        return;
      }
      if (t - last < 80 && step < steps) return;
      last = t;
      const width = 30;
      const done = steps === 0 ? width : Math.round((width * step) / steps);
      stream.write(`\r${name} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${step}/${steps} loss ${loss.toPrecision(3)}\x1b[K`);
    },
    done() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
