// Ctrl-C for commands that keep what they finished (dfl sweep): the first cancels (the work stops
// at its next piece), the second ends the process at once with the shell's code 130.

export interface Interrupt {
  readonly signal: AbortSignal;
  /** Removes the listener; the process's default Ctrl-C comes back. */
  dispose(): void;
}

/** Listens for Ctrl-C from now on: install it before any work that may take a while. */
export function listenForInterrupt(): Interrupt {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130); // every finished result is already whole on disk
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
