// Delimited text (.csv, .tsv, .txt) is how most users will hand over a target matrix: one row per
// line, numbers only. The parser is strict, since a silently misread cell would change the
// experiment, and every refusal names the line and column.

import { InputError } from '../../errors';
import { zeros, type DenseMatrix } from '../../linalg/dense';
import { checkShape, parseDecimal, plural, quoteForMessage, splitLines, type MatrixParseOptions } from './common';

/** The cell separators `parseCsv` recognises; `'whitespace'` means runs of spaces and tabs. */
export type CsvDelimiter = ',' | '\t' | ';' | 'whitespace';

/**
 * The delimiter is detected once and then used for every line. It comes from the first data line
 * that holds a tab, semicolon or comma (so a first row with a single cell does not decide):
 * a tab if that line has one, else a semicolon (European spreadsheets, where `,` is the decimal
 * separator), else a comma. With none of them anywhere, cells are separated by runs of
 * whitespace (NumPy's `savetxt` default).
 */
export function detectDelimiter(lines: readonly string[]): CsvDelimiter {
  for (const line of lines) {
    if (line.includes('\t')) return '\t';
    if (line.includes(';')) return ';';
    if (line.includes(',')) return ',';
  }
  return 'whitespace';
}

function splitCells(line: string, delimiter: CsvDelimiter): string[] {
  if (delimiter === 'whitespace') return line.split(/\s+/);
  return line.split(delimiter).map((cell) => {
    const trimmed = cell.trim();
    // Spreadsheets sometimes quote every cell: accept `"1.5"` but nothing fancier.
    return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
  });
}

/**
 * Parses delimited text into a matrix, one line per row.
 *
 * A UTF-8 byte order mark is dropped, LF, CRLF and CR line ends are accepted, and blank lines and
 * lines starting with `#` are skipped wherever they are. Cells must be finite numbers in decimal
 * notation; a header row must be commented out. Errors name 1-based line numbers of the file (so
 * comment lines count) and 1-based columns.
 *
 * @param text the file's text
 * @param source the name shown in error messages, usually the file name
 * @throws InputError for an empty file, ragged rows, a cell that is empty, not a number or not
 *   finite, and a shape beyond `options.maxDimension`
 */
export function parseCsv(text: string, source: string, options?: MatrixParseOptions): DenseMatrix {
  const lines: { readonly number: number; readonly text: string }[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) lines.push({ number: i + 1, text: line });
  });
  if (lines.length === 0) throw new InputError(`${source}: no numbers (the file is empty or has only blank and comment lines)`);

  const delimiter = detectDelimiter(lines.map((line) => line.text));
  const cols = splitCells(lines[0].text, delimiter).length;
  checkShape(source, lines.length, cols, options);

  const matrix = zeros(lines.length, cols);
  lines.forEach((line, r) => {
    const cells = splitCells(line.text, delimiter);
    if (cells.length !== cols) {
      throw new InputError(
        `${source}: line ${line.number} has ${plural(cells.length, 'cell')} but line ${lines[0].number} has ${cols}`,
      );
    }
    cells.forEach((cell, c) => {
      const where = `${source}: line ${line.number}, column ${c + 1}`;
      if (cell === '') throw new InputError(`${where} is empty`);
      const parsed = parseDecimal(cell);
      if (parsed.ok) {
        matrix.data[r * cols + c] = parsed.value;
        return;
      }
      const header = r === 0 && cells.every((other) => {
        const result = parseDecimal(other);
        return !result.ok && !result.finiteProblem;
      });
      const hint = header ? " (a header row? start it with '#' to skip it)" : '';
      throw new InputError(`${where}: ${quoteForMessage(cell)} ${parsed.problem}${hint}`);
    });
  });
  return matrix;
}
