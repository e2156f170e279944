import { longRunMessage, longRunWatch } from '../core/engine/runTimeEstimate';
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
  const watch = longRunWatch(now);
  return {
    update(step: number, steps: number, loss: number) {
      const t = now();
      const long = watch(step, steps);
      if (long) stream.write(`${tty ? '\r\x1b[K' : ''}dfl: ${longRunMessage(name, long, 'Ctrl-C stops it and keeps the trajectory')}\n`);
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
