import { afterEach, beforeEach, vi } from 'vitest';

// What `main` of cli/dfl.ts wrote in a test: it writes through process.stdout and process.stderr,
// which the test files that call it in-process capture the same way.

/** Everything written to stdout (`out`) and stderr (`err`) since the current test began. */
export interface CapturedOutput {
  out: string;
  err: string;
}

/** Captures stdout and stderr during each test of the calling file (restored after each). */
export function captureOutput(): CapturedOutput {
  const captured: CapturedOutput = { out: '', err: '' };
  beforeEach(() => {
    captured.out = captured.err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((captured.out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((captured.err += String(chunk)), true));
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}

/** Runs `task` with stdout and stderr silenced (for a beforeAll that runs the CLI). */
export async function quietly<T>(task: () => Promise<T>): Promise<T> {
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(() => true), vi.spyOn(process.stderr, 'write').mockImplementation(() => true)];
  try {
    return await task();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}
