// Arbitrary and mutated files must either parse to a finite matrix within the limit or fail with
// a one-line InputError: never another exception, never a hang.

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../../core/errors';
import { parseMatrixFile, SUPPORTED_MATRIX_EXTENSIONS } from '../../../../core/targets/files';
import { npy } from '../../../fixtures/make-fixtures.mjs';
import { HangGuard, PARSER_HANG_BOUND_MS, fuzzParameters, stopWatchdog } from '../../../fuzzBudget';

const MAX = 8;
const utf8 = (text: string) => new TextEncoder().encode(text);

const SEEDS: Record<string, Uint8Array> = {
  '.csv': utf8('\ufeff# c\r\n1,2.5,-3e-2\r\n4,5,6\r\n7,8,9\r\n'),
  '.txt': utf8('1 2\n3 4\n'),
  '.json': utf8('{"data": [[1, 2], [3, 4]]}'),
  '.npy': npy({ descr: '<f8', shape: [2, 2], values: [1, 2, 3, 4] }),
  '.mtx': utf8('%%MatrixMarket matrix coordinate real symmetric\n% c\n3 3 3\n1 1 1\n2 1 2.5\n3 3 -1\n'),
  '.mm': utf8('%%MatrixMarket matrix array integer general\n2 2\n1\n2\n3\n4\n'),
};

function check(name: string, bytes: Uint8Array): void {
  try {
    const m = parseMatrixFile(name, bytes, { maxDimension: MAX, requireSquare: false });
    expect(m.rows).toBeGreaterThan(0);
    expect(m.rows).toBeLessThanOrEqual(MAX);
    expect(m.cols).toBeLessThanOrEqual(MAX);
    expect(m.data.length).toBe(m.rows * m.cols);
    expect(m.data.every(Number.isFinite)).toBe(true);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.message).not.toMatch(/[\n\r]/);
    expect(error.message.startsWith(`${name}: `)).toBe(true);
  }
}

/** A seed file with a few bytes overwritten, inserted or cut off. */
const mutation = (seed: Uint8Array) =>
  fc
    .array(fc.tuple(fc.nat({ max: seed.length }), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), {
      minLength: 1,
      maxLength: 4,
    })
    .map((edits) => {
      let bytes = Array.from(seed);
      for (const [at, byte, kind] of edits) {
        if (kind === 'set') bytes[Math.min(at, bytes.length - 1)] = byte;
        else if (kind === 'insert') bytes.splice(at, 0, byte);
        else bytes = bytes.slice(0, at);
      }
      return new Uint8Array(bytes);
    });

describe('parseMatrixFile on arbitrary input', () => {
  // Each case is also timed against a hang bound (test/fuzzBudget.ts); each fuzzer prints one
  // line with its count of cases for the CI log.
  afterAll(stopWatchdog);

  it.each(Object.keys(SEEDS))('never throws anything but a one-line InputError for mutated %s files', (extension) => {
    const { seed, numRuns } = fuzzParameters(42, 400);
    const guard = new HangGuard(`parseMatrixFile (mutated ${extension} files)`, PARSER_HANG_BOUND_MS);
    const start = SEEDS[extension];
    check(`seed${extension}`, start);
    fc.assert(
      fc.property(mutation(start), (bytes) => guard.run(bytes, () => check(`m${extension}`, bytes))),
      { numRuns, seed },
    );
    expect(guard.cases).toBe(numRuns);
    guard.report(`seed ${seed}`);
  });

  it('never throws anything but a one-line InputError for random bytes and text', () => {
    const extension = fc.constantFrom(...SUPPORTED_MATRIX_EXTENSIONS);
    const bytesRun = fuzzParameters(7, 500);
    const bytesGuard = new HangGuard('parseMatrixFile (random bytes)', PARSER_HANG_BOUND_MS);
    fc.assert(
      fc.property(extension, fc.uint8Array({ maxLength: 200 }), (ext, bytes) => bytesGuard.run({ ext, bytes }, () => check(`r${ext}`, bytes))),
      bytesRun,
    );
    expect(bytesGuard.cases).toBe(bytesRun.numRuns);
    bytesGuard.report(`seed ${bytesRun.seed}`);

    const textRun = fuzzParameters(11, 500);
    const textGuard = new HangGuard('parseMatrixFile (random cell text)', PARSER_HANG_BOUND_MS);
    const cell = fc.oneof(fc.double(), fc.constantFrom('', ' ', 'NaN', '1e999', '"', '%', '#', '[', '{', '(', '\t', ';', ','), fc.string({ maxLength: 4 }));
    const text = fc.array(fc.array(cell, { maxLength: 5 }).map((cells) => cells.join(',')), { maxLength: 6 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(extension, text, (ext, body) => textGuard.run({ ext, body }, () => check(`t${ext}`, utf8(body)))),
      textRun,
    );
    expect(textGuard.cases).toBe(textRun.numRuns);
    textGuard.report(`seed ${textRun.seed}`);
  });
});
