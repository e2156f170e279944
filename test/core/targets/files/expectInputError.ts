// Shared assertion for the matrix-file parser tests: bad input must raise an InputError whose
// message is one line, names the file and contains the expected fragments.

import { expect } from 'vitest';
import { InputError } from '../../../../core/errors';

/** Runs `parse`, expects an InputError, checks it, and returns its message. */
export function expectInputError(parse: () => unknown, ...fragments: string[]): string {
  let thrown: unknown;
  try {
    parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected an InputError, but nothing was thrown').toBeInstanceOf(InputError);
  const message = (thrown as InputError).message;
  expect(message).not.toMatch(/[\n\r]/);
  for (const fragment of fragments) expect(message).toContain(fragment);
  return message;
}
