import { expect } from 'vitest';
import { InputError } from '../../core/errors';

/** What every reader owes arbitrary input: it returns, or it throws one `InputError` line. */
export function expectReadOrRefused(read: () => unknown): void {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).not.toContain('\n');
  }
}
