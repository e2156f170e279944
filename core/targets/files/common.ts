// Small pieces shared by the matrix-file parsers: the size limit, strict number parsing and
// quoting of user text, so every format words its errors the same way.

import { InputError } from '../../errors';
import { MAX_MATRIX_N } from '../../spec/schema';

/** Options every format parser accepts. */
export interface MatrixParseOptions {
  /** Largest number of rows and of columns accepted; default `MAX_MATRIX_N`. */
  readonly maxDimension?: number;
}

/** `3×4`, the way every message shows a shape. */
export function formatShape(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

/**
 * Rejects an empty or too large shape. Parsers call it as soon as they know the shape (from a
 * header, a size line or a first pass over the rows) and before they allocate the matrix.
 */
export function checkShape(source: string, rows: number, cols: number, options: MatrixParseOptions | undefined): void {
  const max = options?.maxDimension ?? MAX_MATRIX_N;
  if (rows === 0 || cols === 0) throw new InputError(`${source}: the matrix is empty (${formatShape(rows, cols)})`);
  if (rows > max || cols > max) {
    throw new InputError(`${source}: ${formatShape(rows, cols)} is larger than the limit ${formatShape(max, max)}`);
  }
}

/** `1 cell`, `4 cells`, `2 entries`. */
export function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

/** A user's text in a message: quoted, escaped (never a line break) and cut to a readable length. */
export function quoteForMessage(text: string, maxLength = 40): string {
  return JSON.stringify(text.length > maxLength ? `${text.slice(0, maxLength)}…` : text);
}

/** Plain decimal notation: `-1`, `2.5`, `.5`, `3.`, `1e-3`, `+4E+2`. No hex, no blanks, no words. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_WORD = /^[+-]?(?:nan|inf|infinity)$/i;

/**
 * What a text cell holds: a finite number, or why it is not one (`problem` is a phrase to put after
 * the quoted text; `finiteProblem` tells a NaN, infinity or overflow from text that is no number).
 */
export type ParsedNumber =
  | { readonly ok: true; readonly value: number }
  | { readonly ok: false; readonly finiteProblem: boolean; readonly problem: string };

/** Parses one number written in decimal notation; NaN, ±Infinity and overflow (`1e999`) are refused. */
export function parseDecimal(text: string): ParsedNumber {
  if (DECIMAL.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return { ok: true, value };
    return { ok: false, finiteProblem: true, problem: 'is not a finite number (it overflows float64)' };
  }
  if (NON_FINITE_WORD.test(text)) return { ok: false, finiteProblem: true, problem: 'is not a finite number' };
  if (/^[+-]?\d+,\d+$/.test(text)) {
    return { ok: false, finiteProblem: false, problem: "is not a number (use '.' as the decimal separator)" };
  }
  return { ok: false, finiteProblem: false, problem: 'is not a number' };
}

/** Splits text into lines (LF, CRLF or CR) after dropping a UTF-8 byte order mark. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\n|\r/);
}
