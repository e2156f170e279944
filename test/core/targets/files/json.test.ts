import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { parseJsonMatrix } from '../../../../core/targets/files/json';
import { expectInputError } from './expectInputError';

const parse = (text: string, options?: { maxDimension?: number }) => parseJsonMatrix(text, 'm.json', options);

describe('parseJsonMatrix', () => {
  it('reads an array of rows', () => {
    const m = parse('[[1, -2.5, 3e-3], [4, 5, 6]]');
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect(toRows(m)).toEqual([
      [1, -2.5, 0.003],
      [4, 5, 6],
    ]);
  });

  it('reads {"data": rows} and a byte order mark', () => {
    expect(toRows(parse('\ufeff{ "data": [[1, 2], [3, 4]] }'))).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  describe('errors', () => {
    it('passes on one-line JSON syntax errors', () => {
      expectInputError(() => parse('[[1, 2],\n [3, 4]\n'), 'm.json: invalid JSON');
      expectInputError(() => parse('[[1, NaN]]'), 'm.json: invalid JSON');
      expectInputError(() => parse('  \n'), 'm.json: empty file');
    });

    it('refuses other documents', () => {
      expectInputError(() => parse('3'), 'm.json: expected an array of rows', 'got 3');
      expectInputError(() => parse('"1,2"'), 'got the string "1,2"');
      expectInputError(() => parse('null'), 'got null');
      expectInputError(() => parse('{}'), 'without "data"');
      expectInputError(() => parse('{"data": 3}'), '"data" must be an array of rows, got 3');
      expectInputError(() => parse('[1, 2, 3]'), 'got an array of numbers (a vector)');
      expectInputError(() => parse('[{"a": 1}]'), 'got an object as row 1');
    });

    it('refuses fields other than data', () => {
      expectInputError(() => parse('{"data": [[1]], "rows": 1}'), 'm.json: unknown field "rows" (only "data" is allowed)');
      expectInputError(() => parse('{"data": [[1]], "a": 1, "b": 2}'), 'unknown fields "a", "b"');
      expectInputError(() => parse('{"__proto__": [[1]]}'), 'unknown field "__proto__"');
    });

    it('refuses an empty matrix', () => {
      expectInputError(() => parse('[]'), 'm.json: the matrix is empty (0×0)');
      expectInputError(() => parse('[[]]'), 'the matrix is empty (1×0)');
      expectInputError(() => parse('{"data": []}'), 'the matrix is empty');
    });

    it('names ragged rows', () => {
      expectInputError(() => parse('[[1, 2], [3, 4], [5]]'), 'm.json: row 3 has 1 value but row 1 has 2');
      expectInputError(() => parse('[[1], [2, 3]]'), 'row 2 has 2 values but row 1 has 1');
    });

    it('names row and column of an entry that is not a number', () => {
      expectInputError(() => parse('[[1, "2"], [3, 4]]'), 'm.json: row 1, column 2: expected a number, got the string "2"');
      expectInputError(() => parse('[[1, 2], [null, 4]]'), 'row 2, column 1: expected a number, got null');
      expectInputError(() => parse('[[1, 2], [3, true]]'), 'row 2, column 2: expected a number, got true');
      expectInputError(() => parse('[[[1, 2]], [[3, 4]]]'), 'row 1, column 1: expected a number, got an array');
      expectInputError(() => parse('[[1, 2], 3]'), 'row 2: expected an array of numbers, got 3');
    });

    it('refuses numbers that overflow to infinity', () => {
      expectInputError(() => parse('[[1, 2], [1e999, 4]]'), 'm.json: row 2, column 1 is not a finite number');
      expectInputError(() => parse('[[1, -1e400]]'), 'row 1, column 2 is not a finite number');
    });

    it('refuses more rows or columns than the limit', () => {
      const tall = JSON.stringify(Array.from({ length: 1025 }, () => [0]));
      expectInputError(() => parse(tall), 'm.json: 1025×1 is larger than the limit 1024×1024');
      expectInputError(() => parse('[[1, 2, 3]]', { maxDimension: 2 }), '1×3 is larger than the limit 2×2');
    });
  });
});
