import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { detectDelimiter, parseCsv } from '../../../../core/targets/files/csv';
import { expectInputError } from './expectInputError';

const rows = (text: string, options?: { maxDimension?: number }) => toRows(parseCsv(text, 'a.csv', options));

describe('parseCsv', () => {
  it('reads comma separated numbers in every decimal notation', () => {
    expect(rows('1,-2.5,.5\n3.,+4E+2,1e-3\n')).toEqual([
      [1, -2.5, 0.5],
      [3, 400, 0.001],
    ]);
  });

  it('returns a row-major Float64Array of the right shape', () => {
    const m = parseCsv('1,2,3\n4,5,6', 'a.csv');
    expect(m.rows).toBe(2);
    expect(m.cols).toBe(3);
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('strips a byte order mark and accepts CRLF and CR line ends', () => {
    expect(rows('\ufeff1,2\r\n3,4\r\n')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(rows('1,2\r3,4')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('skips blank lines and # comments anywhere, and trailing empty lines', () => {
    expect(rows('# header comment\n\n1, 2\n  # indented comment\n\n3 , 4\n\n\n\n')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('detects tab, semicolon, comma and whitespace delimiters from the first line holding one', () => {
    expect(detectDelimiter(['1\t2,5'])).toBe('\t');
    expect(detectDelimiter(['1,5;2'])).toBe(';');
    expect(detectDelimiter(['1,2'])).toBe(',');
    expect(detectDelimiter(['1  2', '3 4'])).toBe('whitespace');
    expect(detectDelimiter(['1', '2;3', '4,5'])).toBe(';');
    expect(rows('1\t2\n3\t4')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(rows('1.5;-2\n0;4e-3')).toEqual([
      [1.5, -2],
      [0, 0.004],
    ]);
    expect(rows('  1.0e+00   2.0e+00\n\t-3   4 ')).toEqual([
      [1, 2],
      [-3, 4],
    ]);
  });

  it('accepts cells quoted by a spreadsheet', () => {
    expect(rows('"1","2"\n"3", "4"')).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('reads a single number and keeps -0', () => {
    const m = parseCsv('-0', 'a.csv');
    expect(m.rows).toBe(1);
    expect(Object.is(m.data[0], -0)).toBe(true);
  });

  describe('errors', () => {
    it('refuses an empty file, or one with only blank and comment lines', () => {
      expectInputError(() => parseCsv('', 'empty.csv'), 'empty.csv:', 'no numbers');
      expectInputError(() => parseCsv('\ufeff', 'a.csv'), 'no numbers');
      expectInputError(() => parseCsv('# only a comment\n\n  \n', 'a.csv'), 'no numbers');
    });

    it('names the lines of ragged rows', () => {
      expectInputError(() => parseCsv('1,2,3\n4,5,6\n7,8\n', 'target.csv'), 'target.csv: line 3 has 2 cells but line 1 has 3');
      expectInputError(() => parseCsv('1\n2,3\n', 'a.csv'), 'line 2 has 2 cells but line 1 has 1');
    });

    it('counts comment and blank lines in line numbers', () => {
      expectInputError(() => parseCsv('# c\n\n1,2\n# c\n3,4,5\n', 'a.csv'), 'line 5 has 3 cells but line 3 has 2');
      expectInputError(() => parseCsv('# c\r\n1,2\r\n3,x\r\n', 'a.csv'), 'line 3, column 2');
    });

    it('names line, column and text of a cell that is not a number', () => {
      expectInputError(() => parseCsv('1,2\n3,four\n', 'a.csv'), 'a.csv: line 2, column 2: "four" is not a number');
      expectInputError(() => parseCsv('1,0x10\n', 'a.csv'), 'line 1, column 2: "0x10" is not a number');
      expectInputError(() => parseCsv('1,2 3\n', 'a.csv'), 'line 1, column 2: "2 3" is not a number');
      expectInputError(() => parseCsv('1,1e\n', 'a.csv'), '"1e" is not a number');
      expectInputError(() => parseCsv('1,2\n3,4\n5,6,\n', 'a.csv'), 'line 3 has 3 cells but line 1 has 2');
    });

    it('refuses empty cells', () => {
      expectInputError(() => parseCsv('1,,3\n', 'a.csv'), 'line 1, column 2 is empty');
    });

    it('hints at a decimal comma and at a header row', () => {
      expectInputError(() => parseCsv('1,5;2\n3;4\n', 'a.csv'), 'line 1, column 1: "1,5"', "use '.' as the decimal separator");
      expectInputError(() => parseCsv('a,b\n1,2\n', 'a.csv'), 'line 1, column 1: "a" is not a number', 'header row');
      const message = expectInputError(() => parseCsv('1,2\na,b\n', 'a.csv'), 'line 2, column 1');
      expect(message).not.toContain('header');
    });

    it.each(['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '+INF', '1e999', '-1e309'])('refuses %s as not finite, naming line and column', (cell) => {
      expectInputError(() => parseCsv(`1,2\n3,${cell}\n`, 'a.csv'), `line 2, column 2: ${JSON.stringify(cell)} is not a finite number`);
    });

    it('says that 1e999 overflows', () => {
      expectInputError(() => parseCsv('1e999', 'a.csv'), 'overflows float64');
    });

    it('keeps messages on one line whatever the cell holds', () => {
      expectInputError(() => parseCsv('1;x\u0000y\u2028z\n', 'a.csv'), 'line 1, column 2: "x\\u0000y');
      const long = 'x'.repeat(500);
      const message = expectInputError(() => parseCsv(`1,${long}`, 'a.csv'), 'line 1, column 2');
      expect(message.length).toBeLessThan(150);
    });

    it('refuses more rows or columns than the limit, before reading cells', () => {
      const tall = '0\n'.repeat(1025);
      expectInputError(() => parseCsv(tall, 'big.csv'), 'big.csv: 1025×1 is larger than the limit 1024×1024');
      const wide = `${'x,'.repeat(1030)}x\n`; // not numbers: the size is refused first
      expectInputError(() => parseCsv(wide, 'wide.csv'), '1×1031 is larger than the limit 1024×1024');
      expectInputError(() => parseCsv('1,2,3\n4,5,6\n7,8,9', 'a.csv', { maxDimension: 2 }), '3×3 is larger than the limit 2×2');
      expect(rows('1,2\n3,4', { maxDimension: 2 })).toHaveLength(2);
    });
  });
});
