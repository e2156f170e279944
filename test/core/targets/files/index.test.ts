import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { MAX_MATRIX_N } from '../../../../core/spec/schema';
import { matrixFileExtension, parseMatrixFile, SUPPORTED_MATRIX_EXTENSIONS } from '../../../../core/targets/files';
import { npy } from '../../../fixtures/make-fixtures.mjs';
import { expectInputError } from './expectInputError';

const utf8 = (text: string) => new TextEncoder().encode(text);
const IDENTITY = [
  [1, 0],
  [0, 1],
];

describe('parseMatrixFile', () => {
  it('lists the supported extensions', () => {
    expect(SUPPORTED_MATRIX_EXTENSIONS).toEqual(['.csv', '.tsv', '.txt', '.json', '.npy', '.mtx', '.mm']);
  });

  it('finds the extension in any letter case, after any directory', () => {
    expect(matrixFileExtension('dir.v2/A.CSV')).toBe('.csv');
    expect(matrixFileExtension('C:\\data\\m.Mtx')).toBe('.mtx');
    expect(matrixFileExtension('.csv')).toBe('');
    expect(matrixFileExtension('matrix')).toBe('');
  });

  it.each([
    ['a.csv', utf8('1,0\n0,1\n')],
    ['a.tsv', utf8('1\t0\n0\t1\n')],
    ['a.txt', utf8('1 0\n0 1\n')],
    ['a.json', utf8('[[1, 0], [0, 1]]')],
    ['a.npy', npy({ descr: '<f8', shape: [2, 2], values: [1, 0, 0, 1] })],
    ['a.mtx', utf8('%%MatrixMarket matrix coordinate real general\n2 2 2\n1 1 1\n2 2 1\n')],
    ['a.mm', utf8('%%MatrixMarket matrix array real general\n2 2\n1\n0\n0\n1\n')],
    ['DIR/A.JSON', utf8('{"data": [[1, 0], [0, 1]]}')],
  ])('reads %s', (name, bytes) => {
    expect(toRows(parseMatrixFile(name, bytes))).toEqual(IDENTITY);
  });

  it('names the file by its base name in messages', () => {
    expectInputError(() => parseMatrixFile('/home/me/data/target.csv', utf8('1,2\n3\n')), 'target.csv: line 2 has 1 cell but line 1 has 2');
    const message = expectInputError(() => parseMatrixFile('C:\\data\\x.npy', utf8('nope')), 'x.npy: not a .npy file');
    expect(message).not.toContain('data');
  });

  it('refuses unknown extensions, listing the supported ones', () => {
    expectInputError(() => parseMatrixFile('m.xlsx', new Uint8Array(4)), 'm.xlsx: has the unsupported extension .xlsx (supported: .csv, .tsv, .txt, .json, .npy, .mtx, .mm)');
    expectInputError(() => parseMatrixFile('archive.npz', new Uint8Array(4)), 'unsupported extension .npz');
    expectInputError(() => parseMatrixFile('matrix', new Uint8Array(4)), 'matrix: has no extension (supported: .csv');
  });

  it('refuses text that is not UTF-8, and says when it is UTF-16', () => {
    expectInputError(() => parseMatrixFile('a.csv', new Uint8Array([0x31, 0x2c, 0xe9, 0x0a])), 'a.csv: the file is not valid UTF-8 text');
    expectInputError(() => parseMatrixFile('a.mtx', new Uint8Array([0xc3])), 'not valid UTF-8');
    const utf16 = new Uint8Array([0xff, 0xfe, 0x31, 0x00, 0x0a, 0x00]);
    expectInputError(() => parseMatrixFile('a.json', utf16), 'a.json: the file is UTF-16 text; save it as UTF-8');
  });

  it('requires a square matrix unless told otherwise', () => {
    const bytes = utf8('1,2,3,4\n5,6,7,8\n9,10,11,12\n');
    expectInputError(() => parseMatrixFile('a.csv', bytes), 'a.csv: the target must be square, got 3×4');
    expect(parseMatrixFile('a.csv', bytes, { requireSquare: false }).cols).toBe(4);
  });

  it('applies maxDimension to every format, MAX_MATRIX_N by default', () => {
    expect(MAX_MATRIX_N).toBe(1024);
    const options = { maxDimension: 1 };
    for (const [name, bytes] of [
      ['a.csv', utf8('1,0\n0,1\n')],
      ['a.json', utf8('[[1, 0], [0, 1]]')],
      ['a.npy', npy({ descr: '<f8', shape: [2, 2], values: [1, 0, 0, 1] })],
      ['a.mtx', utf8('%%MatrixMarket matrix coordinate real general\n2 2 0\n')],
    ] as const) {
      expectInputError(() => parseMatrixFile(name, bytes, options), `${name}: 2×2 is larger than the limit 1×1`);
    }
    const tall = utf8('%%MatrixMarket matrix coordinate real general\n1025 1025 0\n');
    expectInputError(() => parseMatrixFile('big.mtx', tall), 'big.mtx: 1025×1025 is larger than the limit 1024×1024');
  });

  it('reads a matrix of the largest allowed size', () => {
    const n = MAX_MATRIX_N;
    const values = Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
    const m = parseMatrixFile('eye.npy', npy({ descr: '<f4', shape: [n, n], values }));
    expect(m.rows).toBe(n);
    expect(m.data[(n - 1) * n + (n - 1)]).toBe(1);
  });
});
