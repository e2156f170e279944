// A matrix written from a script as JSON: `[[1, 2], [3, 4]]` (what `json.dumps(a.tolist())` gives)
// or `{ "data": [[1, 2], [3, 4]] }`. Anything else is refused with the row and column at fault.

import { InputError } from '../../errors';
import { zeros, type DenseMatrix } from '../../linalg/dense';
import { parseJson } from '../../spec/parseSpec';
import { checkShape, plural, quoteForMessage, type MatrixParseOptions } from './common';

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${quoteForMessage(value)}`;
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const EXPECTED = 'expected an array of rows like [[1, 2], [3, 4]] or {"data": [[1, 2], [3, 4]]}';

/** The rows array of either accepted shape of document. */
function rowsOf(document: unknown, source: string): readonly unknown[] {
  if (Array.isArray(document)) return document;
  if (document === null || typeof document !== 'object') throw new InputError(`${source}: ${EXPECTED}, got ${describe(document)}`);
  const keys = Object.keys(document);
  const unknown = keys.filter((key) => key !== 'data');
  if (unknown.length > 0) {
    const names = unknown.slice(0, 3).map((key) => quoteForMessage(key)).join(', ') + (unknown.length > 3 ? ', …' : '');
    throw new InputError(`${source}: unknown field${unknown.length > 1 ? 's' : ''} ${names} (only "data" is allowed)`);
  }
  if (keys.length === 0) throw new InputError(`${source}: ${EXPECTED}, got an object without "data"`);
  const data = (document as { data: unknown }).data;
  if (!Array.isArray(data)) throw new InputError(`${source}: "data" must be an array of rows, got ${describe(data)}`);
  return data;
}

/**
 * Parses a JSON matrix: an array of equally long arrays of finite numbers, either at the top
 * level or as the only field `data` of an object. Rows and columns in messages are 1-based.
 *
 * @param text the file's text (a UTF-8 byte order mark is allowed)
 * @param source the name shown in error messages, usually the file name
 * @throws InputError for invalid JSON, another document shape, ragged rows, an entry that is
 *   not a number or not finite (`1e999` overflows), and a shape beyond `options.maxDimension`
 */
export function parseJsonMatrix(text: string, source: string, options?: MatrixParseOptions): DenseMatrix {
  const rows = rowsOf(parseJson(text, source), source);
  if (rows.length > 0 && !Array.isArray(rows[0])) {
    const what = typeof rows[0] === 'number' ? 'an array of numbers (a vector)' : `${describe(rows[0])} as row 1`;
    throw new InputError(`${source}: ${EXPECTED}, got ${what}`);
  }
  const cols = rows.length === 0 ? 0 : (rows[0] as unknown[]).length;
  checkShape(source, rows.length, cols, options);

  const matrix = zeros(rows.length, cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row)) throw new InputError(`${source}: row ${r + 1}: expected an array of numbers, got ${describe(row)}`);
    if (row.length !== cols) throw new InputError(`${source}: row ${r + 1} has ${plural(row.length, 'value')} but row 1 has ${cols}`);
    row.forEach((value: unknown, c) => {
      const where = `${source}: row ${r + 1}, column ${c + 1}`;
      if (typeof value !== 'number') throw new InputError(`${where}: expected a number, got ${describe(value)}`);
      if (!Number.isFinite(value)) throw new InputError(`${where} is not a finite number (it overflows float64)`);
      matrix.data[r * cols + c] = value;
    });
  });
  return matrix;
}
