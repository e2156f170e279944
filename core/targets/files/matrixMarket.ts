// Matrix Market (.mtx, .mm) is the exchange format of the SuiteSparse collection and of
// scipy.io.mmwrite, so test matrices from the literature arrive in it. Only real matrices are
// read; the size line is checked against the limit before the dense matrix is allocated.
// Format: https://math.nist.gov/MatrixMarket/formats.html

import { InputError } from '../../errors';
import { zeros, type DenseMatrix } from '../../linalg/dense';
import { checkShape, formatShape, parseDecimal, plural, quoteForMessage, splitLines, type MatrixParseOptions } from './common';

type Format = 'coordinate' | 'array';
type Field = 'real' | 'integer' | 'pattern';
type Symmetry = 'general' | 'symmetric' | 'skew-symmetric';

interface Header {
  readonly format: Format;
  readonly field: Field;
  readonly symmetry: Symmetry;
}

const BANNER = '%%MatrixMarket matrix coordinate|array real|integer|pattern general|symmetric|skew-symmetric';

function parseHeader(line: string, source: string): Header {
  const bad = (why: string) => new InputError(`${source}: line 1: bad header ${quoteForMessage(line.trim())}: ${why}`);
  const tokens = line.trim().split(/\s+/);
  if (tokens[0].toLowerCase() !== '%%matrixmarket') throw bad(`expected "${BANNER}"`);
  if (tokens.length !== 5) throw bad(`expected 5 words like "${BANNER}"`);
  const [object, format, field, symmetry] = tokens.slice(1).map((t) => t.toLowerCase());
  if (object !== 'matrix') throw bad(`the object must be "matrix", not ${quoteForMessage(object)}`);
  if (format !== 'coordinate' && format !== 'array') throw bad(`the format must be coordinate or array, not ${quoteForMessage(format)}`);
  if (field === 'complex') throw new InputError(`${source}: line 1: complex matrices are not supported (the target must be real)`);
  if (field !== 'real' && field !== 'integer' && field !== 'pattern') {
    throw bad(`the field must be real, integer or pattern, not ${quoteForMessage(field)}`);
  }
  if (symmetry === 'hermitian') {
    throw new InputError(`${source}: line 1: hermitian matrices are not supported (they are complex; the target must be real)`);
  }
  if (symmetry !== 'general' && symmetry !== 'symmetric' && symmetry !== 'skew-symmetric') {
    throw bad(`the symmetry must be general, symmetric or skew-symmetric, not ${quoteForMessage(symmetry)}`);
  }
  if (format === 'array' && field === 'pattern') throw bad('pattern is only valid with the coordinate format');
  return { format, field, symmetry };
}

/** Lines after the header that hold data: blank lines and `%` comments are skipped. */
function* dataLines(lines: readonly string[]): Generator<{ readonly number: number; readonly tokens: string[] }> {
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line !== '' && !line.startsWith('%')) yield { number: i + 1, tokens: line.split(/\s+/) };
  }
}

/**
 * Parses a Matrix Market file holding a real (`real`, `integer` or `pattern`) matrix in
 * `coordinate` or `array` format, `general`, `symmetric` or `skew-symmetric`.
 *
 * Coordinate entries are 1-based; an entry given more than once is summed, the way
 * `scipy.io.mmread(...).toarray()` and SuiteSparse treat duplicates. A symmetric or
 * skew-symmetric file must store one triangle only (the lower, as the format says, or the upper;
 * not both, which would double entries) and a skew-symmetric one no diagonal. `pattern` entries
 * are 1. Array values are column-major, only the stored triangle for symmetric kinds.
 *
 * @param text the file's text
 * @param source the name shown in error messages, usually the file name
 * @throws InputError for a bad header, complex or hermitian matrices, a bad size line, a shape
 *   beyond `options.maxDimension` (before allocating), an index out of range, a value that is not
 *   a finite number (or not an integer in an `integer` file) and an entry count that does not
 *   match the size line; messages name the 1-based line
 */
export function parseMatrixMarket(text: string, source: string, options?: MatrixParseOptions): DenseMatrix {
  const lines = splitLines(text);
  if (lines.every((line) => line.trim() === '')) throw new InputError(`${source}: empty file (expected a %%MatrixMarket header)`);
  const header = parseHeader(lines[0], source);
  const body = dataLines(lines);

  const size = body.next();
  const sizeWords = header.format === 'coordinate' ? ['rows', 'columns', 'entries'] : ['rows', 'columns'];
  if (size.done) throw new InputError(`${source}: no size line (expected "${sizeWords.join(' ')}" after the header)`);
  const sizeLine = size.value.number;
  if (size.value.tokens.length !== sizeWords.length || !size.value.tokens.every((t) => /^\d+$/.test(t))) {
    throw new InputError(
      `${source}: line ${sizeLine}: bad size line ${quoteForMessage(size.value.tokens.join(' '))} (expected the integers "${sizeWords.join(' ')}")`,
    );
  }
  const [rows, cols, declared] = size.value.tokens.map(Number);
  checkShape(source, rows, cols, options);
  if (header.symmetry !== 'general' && rows !== cols) {
    throw new InputError(`${source}: line ${sizeLine}: a ${header.symmetry} matrix must be square, got ${formatShape(rows, cols)}`);
  }

  const readValue = (token: string, line: number): number => {
    const parsed = parseDecimal(token);
    if (!parsed.ok) throw new InputError(`${source}: line ${line}: ${quoteForMessage(token)} ${parsed.problem}`);
    if (header.field === 'integer' && !/^[+-]?\d+$/.test(token)) {
      throw new InputError(`${source}: line ${line}: ${quoteForMessage(token)} is not an integer (the header says integer)`);
    }
    return parsed.value;
  };

  const matrix = zeros(rows, cols);
  const { data } = matrix;
  let count = 0;

  if (header.format === 'coordinate') {
    const width = header.field === 'pattern' ? 2 : 3;
    const expected = header.field === 'pattern' ? '"row column"' : '"row column value"';
    let triangle: { readonly upper: boolean; readonly line: number } | undefined;
    for (const { number, tokens } of body) {
      if (++count > declared) {
        throw new InputError(`${source}: line ${number}: more entries than the ${declared} declared on line ${sizeLine}`);
      }
      if (tokens.length !== width) throw new InputError(`${source}: line ${number}: expected ${expected}, got ${quoteForMessage(tokens.join(' '))}`);
      const index = (token: string, what: 'row' | 'column', limit: number): number => {
        const value = /^\d+$/.test(token) ? Number(token) : NaN;
        if (!(value >= 1 && value <= limit)) {
          throw new InputError(`${source}: line ${number}: ${what} index ${quoteForMessage(token)} is out of range 1..${limit}`);
        }
        return value - 1;
      };
      const i = index(tokens[0], 'row', rows);
      const j = index(tokens[1], 'column', cols);
      const value = header.field === 'pattern' ? 1 : readValue(tokens[2], number);
      if (header.symmetry !== 'general' && i !== j) {
        const upper = i < j;
        triangle ??= { upper, line: number };
        if (upper !== triangle.upper) {
          const [side, other] = upper ? ['above', 'below'] : ['below', 'above'];
          throw new InputError(
            `${source}: line ${number}: entry (${i + 1}, ${j + 1}) is ${side} the diagonal but line ${triangle.line} is ${other}; ` +
              `a ${header.symmetry} file stores one triangle only`,
          );
        }
        data[j * cols + i] += header.symmetry === 'symmetric' ? value : -value;
      } else if (header.symmetry === 'skew-symmetric') {
        throw new InputError(
          `${source}: line ${number}: entry (${i + 1}, ${j + 1}) is on the diagonal, which a skew-symmetric file does not store`,
        );
      }
      data[i * cols + j] += value;
    }
    if (count < declared) {
      throw new InputError(`${source}: expected ${plural(declared, 'entry', 'entries')} (line ${sizeLine}) but found ${count}`);
    }
    return matrix;
  }

  // Array format: one value per line, column by column; symmetric kinds store their lower triangle.
  const skew = header.symmetry === 'skew-symmetric';
  const total = header.symmetry === 'general' ? rows * cols : skew ? (rows * (rows - 1)) / 2 : (rows * (rows + 1)) / 2;
  let i = skew ? 1 : 0;
  let j = 0;
  for (const { number, tokens } of body) {
    if (++count > total) throw new InputError(`${source}: line ${number}: more values than the ${total} that line ${sizeLine} implies`);
    if (tokens.length !== 1) throw new InputError(`${source}: line ${number}: expected one value per line, got ${quoteForMessage(tokens.join(' '))}`);
    const value = readValue(tokens[0], number);
    data[i * cols + j] = value;
    if (header.symmetry !== 'general') data[j * cols + i] = skew ? -value : value;
    if (++i === rows) {
      j++;
      i = header.symmetry === 'general' ? 0 : skew ? j + 1 : j;
    }
  }
  if (count < total) throw new InputError(`${source}: expected ${plural(total, 'value')} (line ${sizeLine}) but found ${count}`);
  return matrix;
}
