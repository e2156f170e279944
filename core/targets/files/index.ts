// The one entry point for a user's matrix file: pick the parser from the extension, decode text
// strictly, and apply the checks every target needs (size limit, square). Pure: the caller
// reads the bytes, so the CLI, the extension host and tests share it.

import { InputError } from '../../errors';
import type { DenseMatrix } from '../../linalg/dense';
import { formatShape, type MatrixParseOptions } from './common';
import { parseCsv } from './csv';
import { parseJsonMatrix } from './json';
import { parseMatrixMarket } from './matrixMarket';
import { parseNpy } from './npy';

/** File extensions `parseMatrixFile` reads, lower case with the dot. */
export const SUPPORTED_MATRIX_EXTENSIONS = ['.csv', '.tsv', '.txt', '.json', '.npy', '.mtx', '.mm'] as const;
type MatrixExtension = (typeof SUPPORTED_MATRIX_EXTENSIONS)[number];

/** Options of `parseMatrixFile`. */
export interface MatrixFileOptions extends MatrixParseOptions {
  /** Refuse a non-square matrix (targets are square); default true. */
  readonly requireSquare?: boolean;
}

/** `dir/sub/A.Csv` → `.csv`; `''` when the name has no extension. */
export function matrixFileExtension(fileName: string): string {
  const base = baseName(fileName);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

function isSupported(extension: string): extension is MatrixExtension {
  return (SUPPORTED_MATRIX_EXTENSIONS as readonly string[]).includes(extension);
}

function decodeText(bytes: Uint8Array, source: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError(`${source}: the file is UTF-16 text; save it as UTF-8`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${source}: the file is not valid UTF-8 text; save it as UTF-8`);
  }
}

/**
 * Parses a matrix file by its extension: `.csv`, `.tsv`, `.txt` (delimited text), `.json`,
 * `.npy` (NumPy) and `.mtx`, `.mm` (Matrix Market). Messages name the file by its base name.
 *
 * @param fileName the file's name or path; only the base name and the extension are used
 * @param bytes the file's contents; text formats must be UTF-8 (a byte order mark is allowed)
 * @param options `maxDimension` bounds rows and columns (default `MAX_MATRIX_N`);
 *   `requireSquare` (default true) refuses a non-square matrix
 * @throws InputError, with a one-line message naming the file, for an unknown extension, text
 *   that is not UTF-8, and any problem the format's parser finds
 */
export function parseMatrixFile(fileName: string, bytes: Uint8Array, options: MatrixFileOptions = {}): DenseMatrix {
  const source = baseName(fileName) || fileName;
  const extension = matrixFileExtension(fileName);
  if (!isSupported(extension)) {
    const got = extension === '' ? 'has no extension' : `has the unsupported extension ${extension}`;
    throw new InputError(`${source}: ${got} (supported: ${SUPPORTED_MATRIX_EXTENSIONS.join(', ')})`);
  }
  const matrix = parseByExtension(extension, bytes, source, options);
  if ((options.requireSquare ?? true) && matrix.rows !== matrix.cols) {
    throw new InputError(`${source}: the target must be square, got ${formatShape(matrix.rows, matrix.cols)}`);
  }
  return matrix;
}

function parseByExtension(extension: MatrixExtension, bytes: Uint8Array, source: string, options: MatrixParseOptions): DenseMatrix {
  switch (extension) {
    case '.npy':
      return parseNpy(bytes, source, options);
    case '.json':
      return parseJsonMatrix(decodeText(bytes, source), source, options);
    case '.mtx':
    case '.mm':
      return parseMatrixMarket(decodeText(bytes, source), source, options);
    case '.csv':
    case '.tsv':
    case '.txt':
      return parseCsv(decodeText(bytes, source), source, options);
  }
}
