// The writing side of NumPy's .npy format (version 1.0), for `dfl export`: float64, little-endian,
// C order, so that `numpy.load` returns the array as it is. Pure: returns the bytes.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/**
 * A float64 array of the given shape (row-major, last index fastest) as the bytes of a .npy file.
 * The header is padded with spaces and a newline so that the data starts at a multiple of 64
 * bytes, as NumPy's own writer does. A shape `[]` is a 0-d array of one element.
 */
export function encodeNpy(values: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new Error(`encodeNpy: bad shape [${shape.join(', ')}]`);
  if (values.length !== count) throw new Error(`encodeNpy: ${values.length} values for shape [${shape.join(', ')}]`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new Error('encodeNpy: header too long for format 1.0');
  const dataStart = MAGIC.length + 4 + header.length;
  const bytes = new Uint8Array(dataStart + 8 * count);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < count; i++) view.setFloat64(dataStart + 8 * i, values[i], true);
  return bytes;
}
