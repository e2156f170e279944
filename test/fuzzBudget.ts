// Time bounds for fuzz cases ("no hang, bounded time per case") and the one summary line
// per fuzzer that CI logs show.
//
// These bounds are hang detectors, not benchmarks: a parser case takes microseconds and an engine
// case (n ≤ 12, ≤ 300 steps) tens of milliseconds, so the bounds sit two to four orders of
// magnitude above normal and only trip on a case that is pathologically slow (a loop that does
// not terminate in practice, catastrophic backtracking, a blow-up in the input size).
//
// Two layers:
// - `HangGuard` times every case. A case that ends but took longer than its bound fails the
//   property with the offending input (fast-check then shrinks it). Synchronous code cannot be
//   interrupted from the same thread, and fast-check's `timeout` plugin only races promises, so
//   this is the check for the synchronous fuzzers; the engine fuzzer has both.
// - A watchdog thread (`worker_threads`, its own event loop) covers the case that never ends: it
//   reads the running case's start time and input from shared memory and, past WATCHDOG_KILL_MS,
//   writes the input to stderr and kills this test process, so a true infinite loop fails the
//   CI run with its input instead of stalling it until the job's own time limit.

import { Worker } from 'node:worker_threads';
import fc from 'fast-check';

/** Hang bound of one synchronous parser or validator case: a guard against hangs (the old OOM cases ran
 * 40 s), not a timing: the largest case (an inline 2000×2000 matrix) takes ~0.6 s alone and 3 s on a loaded machine. */
export const PARSER_HANG_BOUND_MS = 10_000;
/** Hang bound of one engine case: parse, build the target, run n ≤ 12 for ≤ 300 steps. */
export const ENGINE_HANG_BOUND_MS = 10_000;
/** A case still running after this long is taken as an infinite loop: the watchdog kills the process. */
const WATCHDOG_KILL_MS = 30_000;

/** At most this much of an input is printed. */
const MAX_INPUT_CHARS = 8_000;

export function describeInput(input: unknown): string {
  let text: string;
  try {
    text = fc.stringify(input);
  } catch {
    text = String(input);
  }
  return text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS)}… (${text.length} characters)` : text;
}

// Shared with the watchdog thread: [armed, input length], the case's start (Date.now()) and input.
const control = new Int32Array(new SharedArrayBuffer(8));
const started = new Float64Array(new SharedArrayBuffer(8));
const inputBytes = new Uint8Array(new SharedArrayBuffer(4 * MAX_INPUT_CHARS + 256));
let watchdog: Worker | undefined;

const WATCHDOG_SOURCE = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { control, started, inputBytes, killMs } = workerData;
const tick = new Int32Array(new SharedArrayBuffer(4));
for (;;) {
  Atomics.wait(tick, 0, 0, 250);
  if (Atomics.load(control, 0) !== 1) continue;
  const ms = Date.now() - started[0];
  if (ms < killMs) continue;
  const input = new TextDecoder().decode(inputBytes.slice(0, Atomics.load(control, 1)));
  // fs.writeSync: the main thread's event loop, which owns process.stderr, is the one that hangs.
  fs.writeSync(2, '\\nfuzz watchdog: a case has run for ' + ms + ' ms (limit ' + killMs + ' ms), killing the test process. Input:\\n' + input + '\\n');
  process.kill(process.pid, 'SIGKILL');
}
`;

function arm(label: string, input: unknown): void {
  if (!watchdog) {
    watchdog = new Worker(WATCHDOG_SOURCE, { eval: true, workerData: { control, started, inputBytes, killMs: WATCHDOG_KILL_MS } });
    watchdog.unref();
  }
  const { written } = new TextEncoder().encodeInto(`${label}: ${describeInput(input)}`, inputBytes);
  Atomics.store(control, 1, written);
  started[0] = Date.now();
  Atomics.store(control, 0, 1);
}

function disarm(): void {
  Atomics.store(control, 0, 0);
}

/** Stops the watchdog thread (call in afterAll; it is unref'd, so forgetting only costs a thread). */
export async function stopWatchdog(): Promise<void> {
  disarm();
  const w = watchdog;
  watchdog = undefined;
  await w?.terminate();
}

export class HangError extends Error {
  override readonly name = 'HangError';
}

/**
 * Counts and times the cases of one fuzzer. `run` / `runAsync` wrap the body of a fast-check
 * predicate: the body's own outcome passes through unchanged unless the case took longer than
 * `boundMs`, in which case a HangError naming the input replaces it.
 */
export class HangGuard {
  cases = 0;
  /** Cases whose body threw (including while fast-check shrinks a failure). */
  failed = 0;
  /** Cases over the hang bound. */
  hangs = 0;
  slowestMs = 0;
  private slowestInput: unknown;

  constructor(
    readonly name: string,
    readonly boundMs: number,
    /** Injectable for the guard's own test. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  run<T>(input: unknown, body: () => T): T {
    const t0 = this.begin(input);
    try {
      return body();
    } catch (error) {
      this.failed++;
      throw error;
    } finally {
      this.end(t0, input);
    }
  }

  async runAsync<T>(input: unknown, body: () => Promise<T>): Promise<T> {
    const t0 = this.begin(input);
    try {
      return await body();
    } catch (error) {
      this.failed++;
      throw error;
    } finally {
      this.end(t0, input);
    }
  }

  /** One line for the CI log: the fuzzer, its cases, failures, the slowest case against the bound. */
  summary(extra = ''): string {
    return (
      `fuzz ${this.name}: ${this.cases} cases, ${this.failed} failed, ${this.hangs} over the hang bound; ` +
      `slowest ${this.slowestMs.toFixed(1)} ms (bound ${this.boundMs} ms)${extra ? `; ${extra}` : ''}`
    );
  }

  /** Prints the summary line (vitest shows a test's stdout) and returns it. */
  report(extra = ''): string {
    const line = this.summary(extra);
    console.log(line);
    return line;
  }

  private begin(input: unknown): number {
    this.cases++;
    arm(this.name, input);
    return this.now();
  }

  private end(t0: number, input: unknown): void {
    const ms = this.now() - t0;
    disarm();
    if (ms > this.slowestMs) {
      this.slowestMs = ms;
      this.slowestInput = input;
    }
    // Throwing here replaces the body's outcome (result or error): the hang is the finding.
    if (ms > this.boundMs) this.hangs++;
    if (ms > this.boundMs) throw new HangError(`${this.name}: one case took ${ms.toFixed(0)} ms, above the hang bound of ${this.boundMs} ms. Input: ${describeInput(input)}`);
  }

  /** The slowest input so far. */
  get slowest(): string {
    return describeInput(this.slowestInput);
  }
}

/**
 * Seed and case count of a fuzzer: fixed for CI; DFL_FUZZ_SEED replaces every seed and
 * DFL_FUZZ_SCALE multiplies every count, for longer runs by hand
 * (`DFL_FUZZ_SCALE=20 npx vitest run test/core/engine/fuzz.test.ts`).
 */
export function fuzzParameters(seed: number, numRuns: number): { seed: number; numRuns: number } {
  const envSeed = process.env.DFL_FUZZ_SEED;
  const scale = Number(process.env.DFL_FUZZ_SCALE ?? 1);
  return {
    seed: envSeed !== undefined && envSeed !== '' ? Number(envSeed) : seed,
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
  };
}
