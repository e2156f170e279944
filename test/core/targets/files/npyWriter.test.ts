import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNpy } from '../../../../core/targets/files/npy';
import { encodeNpy } from '../../../../core/targets/files/npyWriter';
import { readF8Npy } from '../../../helpers/npyArrays';

// The writing side of .npy (numpy.lib.format, version 1.0): the layout checked byte by byte
// against the format's description, and read back by the product's reader (2-D) and by the
// independent test reader (any rank).

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const headerLength = (bytes: Uint8Array) => bytes[8] + 256 * bytes[9];

describe('encodeNpy: the header layout', () => {
  it('starts with \\x93NUMPY, version 1.0 and a little-endian header length that ends the header at a multiple of 64', () => {
    for (const shape of [[], [0], [1], [7], [2, 3], [3, 4, 5], [10000, 1], [1, 2, 3, 4, 5, 6, 7]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy(new Array<number>(count).fill(1), shape);
      expect(Array.from(bytes.subarray(0, 6))).toEqual(MAGIC);
      expect([bytes[6], bytes[7]]).toEqual([1, 0]);
      const length = headerLength(bytes);
      // The 10-byte preamble (magic, version, length) counts toward the alignment.
      expect((10 + length) % 64).toBe(0);
      expect(bytes.length).toBe(10 + length + 8 * count);
    }
  });

  it('writes the dict of the format, padded with spaces and ended by one newline', () => {
    const bytes = encodeNpy([1, 2, 3, 4, 5, 6], [2, 3]);
    const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength(bytes)));
    expect(header).toMatch(/^\{'descr': '<f8', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
    expect(header.indexOf('\n')).toBe(header.length - 1);
    // The dict is 60 characters: with the preamble and the newline it pads to 128 bytes, as
    // numpy.save's own files of small arrays; then 6 × 8 bytes of data.
    expect(bytes.length).toBe(128 + 48);
  });

  it('writes a 1-D shape as a one-element Python tuple and a 0-d shape as ()', () => {
    const text = (b: Uint8Array) => String.fromCharCode(...b.subarray(10, 10 + headerLength(b)));
    expect(text(encodeNpy([4, 5, 6], [3]))).toContain("'shape': (3,), ");
    expect(text(encodeNpy([4], []))).toContain("'shape': (), ");
    expect(text(encodeNpy([], [0, 4]))).toContain("'shape': (0, 4), ");
  });

  it('stores the values as little-endian IEEE float64, first value first', () => {
    const bytes = encodeNpy([1, -2], [2]);
    const data = Array.from(bytes.subarray(128));
    // 1.0 = 0x3FF0000000000000, −2.0 = 0xC000000000000000, least significant byte first.
    expect(data).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0xc0]);
  });

  it('refuses a value count that does not fit the shape, and a shape that is not sizes', () => {
    expect(() => encodeNpy([1, 2], [3])).toThrow(/2 values for shape \[3\]/);
    expect(() => encodeNpy([1, 2, 3], [2, 2])).toThrow(/3 values/);
    expect(() => encodeNpy([], [-1])).toThrow(/bad shape/);
    expect(() => encodeNpy([1], [0.5, 2])).toThrow(/bad shape/);
  });
});

describe('encodeNpy: round trips', () => {
  it('reads back exactly through core/targets/files/npy.ts for any 2-D float64 matrix', () => {
    const matrix = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
      .chain(([r, c]) => fc.tuple(fc.constant([r, c]), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: r * c, maxLength: r * c })));
    fc.assert(
      fc.property(matrix, ([[rows, cols], values]) => {
        const read = parseNpy(encodeNpy(values, [rows, cols]), 'x.npy');
        expect([read.rows, read.cols]).toEqual([rows, cols]);
        // Object.is keeps −0 apart from 0: the bytes are copied, not rounded.
        Array.from(read.data).forEach((x, i) => expect(Object.is(x, values[i])).toBe(true));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the extremes of float64: subnormals, the largest finite value, −0', () => {
    const values = [Number.MIN_VALUE, -Number.MAX_VALUE, -0, 2 ** -1074 * 3, 1 / 3, Number.EPSILON];
    const read = parseNpy(encodeNpy(values, [3, 2]), 'x.npy');
    expect(Array.from(read.data).map((x, i) => Object.is(x, values[i]))).toEqual(values.map(() => true));
  });

  it('round trips arrays of any rank, NaN and infinities included, through an independent reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.array(fc.double(), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }),
          ),
        ),
        ([shape, values]) => {
          const read = readF8Npy(encodeNpy(values, shape));
          expect(read.shape).toEqual(shape);
          expect(read.values).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes from a Float64Array as from an array', () => {
    const values = [0.1, 0.2, 0.3, 0.4];
    expect(encodeNpy(Float64Array.from(values), [2, 2])).toEqual(encodeNpy(values, [2, 2]));
  });
});
