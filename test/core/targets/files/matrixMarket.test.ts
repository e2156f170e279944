import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { parseMatrixMarket } from '../../../../core/targets/files/matrixMarket';
import { expectInputError } from './expectInputError';

const parse = (lines: string[], options?: { maxDimension?: number }) => parseMatrixMarket(lines.join('\n'), 'm.mtx', options);
const rows = (lines: string[]) => toRows(parse(lines));

describe('parseMatrixMarket', () => {
  it('reads a general coordinate matrix with comments and blank lines', () => {
    const m = parse([
      '%%MatrixMarket matrix coordinate real general',
      '% a comment',
      '%another',
      '',
      '2 3 3',
      '1 1 1.5',
      '',
      '% between entries',
      '2 3 -2e-3',
      '  1   2   4  ',
    ]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(toRows(m)).toEqual([
      [1.5, 4, 0],
      [0, 0, -0.002],
    ]);
  });

  it('sums duplicate coordinate entries', () => {
    expect(rows(['%%MatrixMarket matrix coordinate real general', '2 2 3', '1 1 1.5', '1 1 2.5', '2 2 1'])).toEqual([
      [4, 0],
      [0, 1],
    ]);
  });

  it('accepts any letter case in the header, a byte order mark and CRLF', () => {
    const m = parseMatrixMarket('\ufeff%%matrixmarket MATRIX Coordinate Real General\r\n1 1 1\r\n1 1 7\r\n', 'm.mtx');
    expect(toRows(m)).toEqual([[7]]);
  });

  it('mirrors a symmetric coordinate matrix stored by its lower triangle', () => {
    expect(rows(['%%MatrixMarket matrix coordinate real symmetric', '3 3 4', '1 1 2', '2 1 -1', '3 2 5', '3 3 1'])).toEqual([
      [2, -1, 0],
      [-1, 0, 5],
      [0, 5, 1],
    ]);
  });

  it('also accepts a symmetric matrix stored by its upper triangle', () => {
    expect(rows(['%%MatrixMarket matrix coordinate real symmetric', '2 2 2', '1 2 3', '2 2 1'])).toEqual([
      [0, 3],
      [3, 1],
    ]);
  });

  it('negates the mirror of a skew-symmetric matrix', () => {
    expect(rows(['%%MatrixMarket matrix coordinate integer skew-symmetric', '3 3 2', '2 1 5', '3 2 -7'])).toEqual([
      [0, -5, 0],
      [5, 0, 7],
      [0, -7, 0],
    ]);
  });

  it('reads pattern entries as 1', () => {
    expect(rows(['%%MatrixMarket matrix coordinate pattern general', '2 2 2', '1 2', '2 1'])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(rows(['%%MatrixMarket matrix coordinate pattern symmetric', '2 2 1', '2 1'])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it('reads an array matrix column by column', () => {
    expect(rows(['%%MatrixMarket matrix array real general', '% comment', '2 3', '1', '4', '2', '5', '3', '6'])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('reads the lower triangle of symmetric and skew-symmetric arrays', () => {
    expect(rows(['%%MatrixMarket matrix array real symmetric', '3 3', '1', '2', '3', '4', '5', '6'])).toEqual([
      [1, 2, 3],
      [2, 4, 5],
      [3, 5, 6],
    ]);
    expect(rows(['%%MatrixMarket matrix array integer skew-symmetric', '3 3', '1', '2', '3'])).toEqual([
      [0, -1, -2],
      [1, 0, -3],
      [2, 3, 0],
    ]);
  });

  describe('errors', () => {
    it('refuses an empty file', () => {
      expectInputError(() => parseMatrixMarket('', 'm.mtx'), 'm.mtx: empty file');
      expectInputError(() => parseMatrixMarket('\n\n', 'm.mtx'), 'empty file');
    });

    it.each([
      ['1 2 3', 'expected "%%MatrixMarket matrix coordinate|array'],
      ['%MatrixMarket matrix coordinate real general', 'expected "%%MatrixMarket'],
      ['%%MatrixMarket matrix coordinate real', 'expected 5 words'],
      ['%%MatrixMarket vector coordinate real general', 'the object must be "matrix", not "vector"'],
      ['%%MatrixMarket matrix sparse real general', 'the format must be coordinate or array, not "sparse"'],
      ['%%MatrixMarket matrix coordinate double general', 'the field must be real, integer or pattern, not "double"'],
      ['%%MatrixMarket matrix coordinate real upper', 'the symmetry must be general, symmetric or skew-symmetric, not "upper"'],
      ['%%MatrixMarket matrix array pattern general', 'pattern is only valid with the coordinate format'],
    ])('refuses the header %j', (header, fragment) => {
      expectInputError(() => parse([header, '1 1 1', '1 1 1']), 'm.mtx: line 1: bad header', fragment);
    });

    it('refuses complex and hermitian matrices with their own message', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate complex general', '1 1 1', '1 1 1 0']), 'line 1: complex matrices are not supported');
      expectInputError(() => parse(['%%MatrixMarket matrix array complex hermitian', '1 1', '1 0']), 'complex matrices are not supported');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real hermitian', '1 1 1', '1 1 1']), 'hermitian matrices are not supported');
    });

    it('refuses a missing or bad size line, naming its line', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '% only comments']), 'no size line (expected "rows columns entries"');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '%', '2 2']), 'line 3: bad size line "2 2" (expected the integers "rows columns entries")');
      expectInputError(() => parse(['%%MatrixMarket matrix array real general', '2 2 4']), 'line 2: bad size line "2 2 4" (expected the integers "rows columns")');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2.0 1']), 'line 2: bad size line');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '-2 2 1']), 'line 2: bad size line');
    });

    it('refuses too large sizes from the size line, before reading entries', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '100000 100000 1']), 'm.mtx: 100000×100000 is larger than the limit 1024×1024');
      expectInputError(() => parse(['%%MatrixMarket matrix array real general', '3 3'], { maxDimension: 2 }), '3×3 is larger than the limit 2×2');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '0 0 0']), 'the matrix is empty (0×0)');
    });

    it('requires symmetric kinds to be square', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real symmetric', '2 3 0']), 'line 2: a symmetric matrix must be square, got 2×3');
    });

    it('names the line of an index out of range', () => {
      const header = ['%%MatrixMarket matrix coordinate real general', '% c', '2 3 2', '1 1 1'];
      expectInputError(() => parse([...header, '3 1 1']), 'm.mtx: line 5: row index "3" is out of range 1..2');
      expectInputError(() => parse([...header, '0 1 1']), 'line 5: row index "0" is out of range 1..2');
      expectInputError(() => parse([...header, '1 4 1']), 'line 5: column index "4" is out of range 1..3');
      expectInputError(() => parse([...header, '1 1.5 1']), 'line 5: column index "1.5" is out of range');
    });

    it('names the line of an entry with the wrong number of fields', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2 1', '1 1']), 'line 3: expected "row column value", got "1 1"');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate pattern general', '2 2 1', '1 1 1']), 'line 3: expected "row column", got "1 1 1"');
      expectInputError(() => parse(['%%MatrixMarket matrix array real general', '1 2', '1 2']), 'line 3: expected one value per line');
    });

    it.each(['nan', 'inf', '-Infinity', '1e999', 'abc'])('names the line of the value %s', (value) => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2 2', '1 1 1', `2 2 ${value}`]), `m.mtx: line 4: ${JSON.stringify(value)} is not`);
      expectInputError(() => parse(['%%MatrixMarket matrix array real general', '1 1', value]), 'line 3:');
    });

    it('requires integers in an integer file', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate integer general', '1 1 1', '1 1 1.5']), 'line 3: "1.5" is not an integer (the header says integer)');
      expectInputError(() => parse(['%%MatrixMarket matrix array integer general', '1 1', '1e3']), 'not an integer');
    });

    it('refuses more or fewer entries than the size line declares', () => {
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2 3', '1 1 1', '2 2 2']), 'm.mtx: expected 3 entries (line 2) but found 2');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2 1', '% none']), 'expected 1 entry (line 2) but found 0');
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real general', '2 2 1', '1 1 1', '2 2 2']), 'line 4: more entries than the 1 declared on line 2');
      expectInputError(() => parse(['%%MatrixMarket matrix array real general', '2 2', '1', '2', '3']), 'expected 4 values (line 2) but found 3');
      expectInputError(() => parse(['%%MatrixMarket matrix array real symmetric', '2 2', '1', '2', '3', '4']), 'line 6: more values than the 3 that line 2 implies');
    });

    it('refuses symmetric files that store both triangles, and skew-symmetric diagonals', () => {
      expectInputError(
        () => parse(['%%MatrixMarket matrix coordinate real symmetric', '2 2 2', '2 1 1', '1 2 1']),
        'line 4: entry (1, 2) is above the diagonal but line 3 is below; a symmetric file stores one triangle only',
      );
      expectInputError(() => parse(['%%MatrixMarket matrix coordinate real skew-symmetric', '2 2 1', '1 1 1']), 'line 3: entry (1, 1) is on the diagonal');
    });
  });
});
