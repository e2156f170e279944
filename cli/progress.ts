/** A one-line progress bar on stderr, only when stderr is a terminal. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const enabled = stream.isTTY === true;
  let last = 0;
  return {
    update(step: number, steps: number, loss: number) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 80 && step < steps) return;
      last = now;
      const width = 30;
      const done = steps === 0 ? width : Math.round((width * step) / steps);
      stream.write(`\r${label} [${'#'.repeat(done)}${' '.repeat(width - done)}] ${step}/${steps} loss ${loss.toPrecision(3)}\x1b[K`);
    },
    done() {
      if (enabled) stream.write('\r\x1b[K');
    },
  };
}
