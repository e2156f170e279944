/**
 * An error caused by the user's input (a spec, a matrix file, a command-line flag).
 * Its message is one line that names what is wrong; adapters print it without a stack.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(message: string) {
    super(message);
  }
}

/** tfjs-core style assertion: the message is built only on failure. */
export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InputError(message());
}

/** A run cancelled before its first step (while its target or factors were being built): no result. */
export class RunCancelledError extends Error {
  override readonly name = 'RunCancelledError';
  constructor(message = 'cancelled before the first step') {
    super(message);
  }
}
