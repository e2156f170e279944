import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../core/errors';
import { MAX_MATRIX_N } from '../../../../core/spec/schema';
import { checkShape, formatShape, parseDecimal, plural, quoteForMessage, splitLines } from '../../../../core/targets/files/common';

// The pieces every matrix-file parser shares: one wording of shapes, limits and bad numbers.

describe('shapes and limits', () => {
  it('writes a shape as rows×cols and refuses an empty or too large one, naming the source', () => {
    expect(formatShape(3, 4)).toBe('3×4');
    expect(() => checkShape('m.csv', 3, 3, undefined)).not.toThrow();
    expect(() => checkShape('m.csv', 0, 3, undefined)).toThrow(new InputError('m.csv: the matrix is empty (0×3)'));
    expect(() => checkShape('m.csv', MAX_MATRIX_N + 1, 2, undefined)).toThrow(`m.csv: ${MAX_MATRIX_N + 1}×2 is larger than the limit ${MAX_MATRIX_N}×${MAX_MATRIX_N}`);
    expect(() => checkShape('m.npy', 2, 9, { maxDimension: 8 })).toThrow('m.npy: 2×9 is larger than the limit 8×8');
  });
});

describe('words in messages', () => {
  it('counts with the right plural', () => {
    expect(plural(1, 'cell')).toBe('1 cell');
    expect(plural(4, 'cell')).toBe('4 cells');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('quotes a user text on one line, cut to a readable length', () => {
    expect(quoteForMessage('abc')).toBe('"abc"');
    expect(quoteForMessage('two\nlines')).toBe('"two\\nlines"');
    expect(quoteForMessage('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quoteForMessage('abcdef', 3)).toBe('"abc…"');
  });
});

describe('parseDecimal', () => {
  it('reads plain decimal notation', () => {
    for (const [text, value] of [['-1', -1], ['2.5', 2.5], ['.5', 0.5], ['3.', 3], ['1e-3', 0.001], ['+4E+2', 400]] as const) expect(parseDecimal(text)).toEqual({ ok: true, value });
  });

  it('tells a non-finite number from text that is no number, and a decimal comma from both', () => {
    expect(parseDecimal('1e999')).toEqual({ ok: false, finiteProblem: true, problem: 'is not a finite number (it overflows float64)' });
    for (const word of ['NaN', '-inf', 'Infinity']) expect(parseDecimal(word)).toMatchObject({ ok: false, finiteProblem: true, problem: 'is not a finite number' });
    expect(parseDecimal('1,5')).toEqual({ ok: false, finiteProblem: false, problem: "is not a number (use '.' as the decimal separator)" });
    for (const text of ['0x10', '1 2', '', 'one', '1e', '--1']) expect(parseDecimal(text), text).toMatchObject({ ok: false, finiteProblem: false, problem: 'is not a number' });
  });
});

describe('splitLines', () => {
  it('splits on LF, CRLF and CR, after a byte order mark', () => {
    expect(splitLines('\ufeffa\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd']);
    expect(splitLines('one')).toEqual(['one']);
    expect(splitLines('x\n')).toEqual(['x', '']);
  });
});
