import { describe, expect, it } from 'vitest';
import { toRows } from '../../../../core/linalg/dense';
import { parseNpy } from '../../../../core/targets/files/npy';
import { npy, npyHeader } from '../../../fixtures/make-fixtures.mjs';
import { expectInputError } from './expectInputError';

const parse = (bytes: Uint8Array, options?: { maxDimension?: number }) => parseNpy(bytes, 'x.npy', options);
const rows = (bytes: Uint8Array) => toRows(parse(bytes));
const fromHex = (hex: string) => new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16)));
const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));

/** What `numpy.save(f, np.array([[1.0, -2.5], [0.125, 4e-300]]))` writes, byte for byte. */
const NUMPY_F8_2X2 = new Uint8Array([
  ...ascii("\x93NUMPY\x01\x00v\x00{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }"),
  ...ascii(' '.repeat(58)),
  0x0a,
  ...fromHex('000000000000f03f' + '00000000000004c0' + '000000000000c03f' + '59f3f8c21f6ec501'),
]);

describe('parseNpy', () => {
  it('reads little-endian float64 in C order, as numpy.save writes it', () => {
    expect(NUMPY_F8_2X2.length).toBe(160);
    const m = parse(NUMPY_F8_2X2);
    expect([m.rows, m.cols]).toEqual([2, 2]);
    expect(toRows(m)).toEqual([
      [1, -2.5],
      [0.125, 4e-300],
    ]);
  });

  it('builds the same bytes as numpy with the fixture helper', () => {
    expect(npy({ descr: '<f8', shape: [2, 2], values: [1, -2.5, 0.125, 4e-300] })).toEqual(NUMPY_F8_2X2);
  });

  it('reads big-endian float32', () => {
    const bytes = new Uint8Array([
      ...ascii("\x93NUMPY\x01\x00v\x00{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }"),
      ...ascii(' '.repeat(58)),
      0x0a,
      ...fromHex('3f800000' + 'c0200000' + '3e000000' + '44800000'),
    ]);
    expect(rows(bytes)).toEqual([
      [1, -2.5],
      [0.125, 1024],
    ]);
  });

  it('reads Fortran order (column by column)', () => {
    const bytes = npy({ descr: '<f8', fortranOrder: true, shape: [2, 3], values: [1, 4, 2, 5, 3, 6] });
    expect(rows(bytes)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('reads format versions 2.0 and 3.0 (4-byte header length)', () => {
    const v2 = npy({ descr: '<f8', shape: [1, 2], values: [7, 8], version: 2 });
    expect(Array.from(v2.subarray(6, 12))).toEqual([2, 0, 0x74, 0, 0, 0]);
    expect(rows(v2)).toEqual([[7, 8]]);
    expect(rows(npy({ descr: '>f8', shape: [1, 2], values: [7, 8], version: 3 }))).toEqual([[7, 8]]);
  });

  it.each([
    ['<f2', [1, -0.5, 65504, 2 ** -24]],
    ['>f2', [1, -0.5, 65504, 2 ** -24]],
    ['<f4', [1, -0.5, 3.5, 1e-3]],
    ['|i1', [-128, 127, 0, -1]],
    ['|u1', [0, 255, 1, 2]],
    ['<i2', [-32768, 32767, 1, -1]],
    ['>i2', [-32768, 32767, 1, -1]],
    ['<u2', [0, 65535, 1, 2]],
    ['>i4', [-(2 ** 31), 2 ** 31 - 1, 1, -1]],
    ['<u4', [0, 2 ** 32 - 1, 1, 2]],
    ['<i8', [-(2 ** 53), 2 ** 53, 1, -1]],
    ['>u8', [0, 2 ** 60, 1, 2]],
    ['|b1', [0, 1, 1, 0]],
  ])('reads dtype %s', (descr, values) => {
    const expected = descr === '<f4' ? values.map(Math.fround) : values;
    const bytes = descr.endsWith('f2') ? halfFloats(descr, values) : npy({ descr, shape: [2, 2], values });
    expect(Array.from(parse(bytes).data)).toEqual(expected);
  });

  it('reads bool as 0 and 1, whatever non-zero byte encodes true', () => {
    const bytes = npy({ header: npyHeader('|b1', false, [1, 3]), data: new Uint8Array([0, 1, 7]) });
    expect(rows(bytes)).toEqual([[0, 1, 1]]);
  });

  it('ignores bytes after the data', () => {
    const padded = new Uint8Array([...npy({ descr: '<f8', shape: [1, 1], values: [3] }), 1, 2, 3, 4, 5]);
    expect(rows(padded)).toEqual([[3]]);
  });

  it('accepts the header variants of older writers and of Python itself', () => {
    const variants = [
      '{"descr": "<f8", "fortran_order": False, "shape": (1, 2)}',
      "{'shape': (1, 2), 'fortran_order': False, 'descr': '<f8'}",
      "{'descr': u'<f8', 'fortran_order': False, 'shape': (1L, 2L), }",
      "{ 'descr' : '<f8' ,\t'fortran_order' : False , 'shape' : ( 1 , 2 ) , }",
    ];
    for (const header of variants) {
      expect(rows(npy({ header, data: new Uint8Array(new Float64Array([5, 6]).buffer) }))).toEqual([[5, 6]]);
    }
  });

  it('does not need the data block to be aligned in memory', () => {
    const bytes = npy({ descr: '<f8', shape: [1, 2], values: [1.5, 2.5] });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(rows(shifted.subarray(3))).toEqual([[1.5, 2.5]]);
  });

  describe('errors', () => {
    const good = npy({ descr: '<f8', shape: [2, 2], values: [1, 2, 3, 4] });
    const withHeader = (header: string, data = new Uint8Array(32)) => npy({ header, data });

    it('refuses a file without the .npy magic, and says when it is a .npz archive', () => {
      expectInputError(() => parse(ascii('1,2\n3,4\n')), 'x.npy: not a .npy file');
      expectInputError(() => parse(new Uint8Array(0)), 'not a .npy file');
      expectInputError(() => parse(ascii('PK\x03\x04rest')), 'zip archive (.npz?)');
    });

    it('refuses unknown format versions', () => {
      const v4 = good.slice();
      v4[6] = 4;
      expectInputError(() => parse(v4), 'unsupported .npy format version 4.0');
      const v11 = good.slice();
      v11[7] = 1;
      expectInputError(() => parse(v11), 'version 1.1');
    });

    it('refuses a truncated header', () => {
      expectInputError(() => parse(good.subarray(0, 8)), 'x.npy: truncated header');
      expectInputError(() => parse(good.subarray(0, 40)), 'truncated header (it should be 118 bytes, the file has 30');
      const v2 = npy({ descr: '<f8', shape: [1, 1], values: [1], version: 2 });
      expectInputError(() => parse(v2.subarray(0, 11)), 'truncated header');
    });

    it('refuses a header length no numeric array needs', () => {
      const bytes = npy({ descr: '<f8', shape: [1, 1], values: [1], version: 2 });
      new DataView(bytes.buffer).setUint32(8, 0xffffffff, true);
      expectInputError(() => parse(bytes), 'the header claims 4294967295 bytes');
    });

    it('refuses a header that is not a Python dict literal', () => {
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), ")), 'x.npy: the header is not a valid Python dict literal');
      expectInputError(() => parse(withHeader("{'descr': '<f8' 'fortran_order': False}")), "expected ',' or '}'");
      expectInputError(() => parse(withHeader("{'descr': '<f8, 'fortran_order': False, 'shape': (2, 2)}")), 'not a valid Python dict literal');
      expectInputError(() => parse(withHeader("{descr: '<f8'}")), 'expected a quoted key');
      expectInputError(() => parse(withHeader("{'descr': numpy.float64}")), 'unexpected "n"');
      expectInputError(() => parse(withHeader("{'descr': '<f8'} trailing")), 'after the value');
      expectInputError(() => parse(withHeader('(' .repeat(100))), 'nested too deeply');
      expectInputError(() => parse(withHeader('[1, 2]')), 'the header is not a Python dict (got [1, 2])');
      expectInputError(() => parse(withHeader('')), 'not a valid Python dict literal: the header ends where a value was expected');
      expectInputError(() => parse(withHeader("{'descr': '<f8', ")), 'the header ends where a quoted key was expected');
    });

    it('refuses a header without exactly the keys descr, fortran_order and shape', () => {
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False}")), "the header has no 'shape'");
      expectInputError(
        () => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}")),
        'unexpected key \'extra\'',
      );
    });

    it('refuses bad fortran_order and shape values', () => {
      expectInputError(() => parse(withHeader(npyHeader('<f8', false, [2, 2]).replace('False', "'no'"))), "fortran_order must be True or False, got 'no'");
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 2]}")), 'shape must be a tuple of sizes, got [2, 2]');
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2)}")), 'shape must be a tuple of sizes, got (2, -2)');
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 'a')}")), 'shape must be a tuple');
    });

    it('requires a 2-D array', () => {
      expectInputError(() => parse(npy({ descr: '<f8', shape: [4], values: [1, 2, 3, 4] })), 'x.npy: expected a 2-D array, got shape (4,) (1-D)');
      expectInputError(() => parse(npy({ descr: '<f8', shape: [], values: [1] })), 'got shape () (0-D)');
      expectInputError(() => parse(npy({ descr: '<f8', shape: [1, 2, 2], values: [1, 2, 3, 4] })), 'got shape (1, 2, 2) (3-D)');
      expectInputError(() => parse(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4)}")), 'shape must be a tuple of sizes, got 4');
    });

    it('refuses an empty array', () => {
      expectInputError(() => parse(npy({ descr: '<f8', shape: [0, 3] })), 'the matrix is empty (0×3)');
    });

    it('refuses too large shapes from the header, before reading data', () => {
      const huge = withHeader(npyHeader('<f8', false, [5000, 5000]), new Uint8Array(0));
      expectInputError(() => parse(huge), 'x.npy: 5000×5000 is larger than the limit 1024×1024');
      const absurd = withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 1000000000000000000000000000000)}", new Uint8Array(0));
      expectInputError(() => parse(absurd), '3×1e+30 is larger than the limit');
      expectInputError(() => parse(good, { maxDimension: 1 }), '2×2 is larger than the limit 1×1');
    });

    it.each(['<c16', '<c8', '|O', '<U10', '|S3', '|V8', '<M8[ns]', '<m8[s]', '<f16', '<i16', '|b2'])('refuses dtype %s', (descr) => {
      expectInputError(
        () => parse(withHeader(npyHeader(descr, false, [2, 2]), new Uint8Array(256))),
        `x.npy: dtype '${descr}' is not supported (use float32, float64 or an integer type)`,
      );
    });

    it('refuses structured dtypes', () => {
      const header = "{'descr': [('a', '<f8'), ('b', '<f8')], 'fortran_order': False, 'shape': (2, 2), }";
      expectInputError(() => parse(withHeader(header, new Uint8Array(64))), "dtype [('a', '<f8'), ('b', '<f8')] is not supported");
    });

    it('refuses multi-byte dtypes without a byte order', () => {
      expectInputError(() => parse(withHeader(npyHeader('|f8', false, [2, 2]))), "dtype '|f8' does not say its byte order (expected '<f8' or '>f8')");
      expectInputError(() => parse(withHeader(npyHeader('=i4', false, [2, 2]))), "'=i4' does not say its byte order");
    });

    it('refuses truncated data, saying how many bytes the shape needs', () => {
      expectInputError(() => parse(good.subarray(0, good.length - 1)), "x.npy: truncated data (shape (2, 2) of '<f8' needs 32 bytes, the file has 31)");
    });

    it('names the element of a NaN or infinity by its index, row and column', () => {
      const c = npy({ descr: '<f8', shape: [2, 3], values: [1, 2, 3, 4, NaN, 6] });
      expectInputError(() => parse(c), 'x.npy: element [1, 1] (row 2, column 2) is NaN, not a finite number');
      const f = npy({ descr: '<f8', fortranOrder: true, shape: [2, 3], values: [1, 2, 3, Infinity, 5, 6] });
      expectInputError(() => parse(f), 'element [1, 1] (row 2, column 2) is Infinity');
      const f4 = npy({ descr: '>f4', shape: [1, 2], values: [1, -Infinity] });
      expectInputError(() => parse(f4), 'element [0, 1] (row 1, column 2) is -Infinity');
      const half = halfFloats('<f2', [1, 2, 3, 0x7c00], true);
      expectInputError(() => parse(half), 'element [1, 1] (row 2, column 2) is Infinity');
    });

    it('keeps header text on one line in messages', () => {
      const message = expectInputError(
        () => parse(withHeader("{'descr': '<f\r8', 'fortran_order': False, 'shape': (2, 2)}")),
        'is not supported',
      );
      expect(message).toContain('\\r');
    });
  });
});

/** A 2×2 float16 file; `raw` gives bit patterns instead of values. */
function halfFloats(descr: string, values: readonly number[], raw = false): Uint8Array {
  const data = new Uint8Array(values.length * 2);
  const view = new DataView(data.buffer);
  values.forEach((value, i) => view.setUint16(i * 2, raw ? value : toHalf(value), descr.startsWith('<')));
  return npy({ header: npyHeader(descr, false, [2, 2]), data });
}

/** float16 bits of the few exactly representable values the tests use. */
function toHalf(value: number): number {
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude < 2 ** -14) return sign | Math.round(magnitude / 2 ** -24);
  const exponent = Math.floor(Math.log2(magnitude));
  return sign | ((exponent + 15) << 10) | Math.round((magnitude / 2 ** exponent - 1) * 1024);
}
