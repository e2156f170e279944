// A reader of float64 .npy files of any rank, written from the format's description
// (numpy.lib.format, version 1.0) independently of core/targets/files/npy.ts, which reads 2-D
// arrays only: the export tests read back 1-D and 3-D files with it.

/** The header text, the shape, and the values of a '<f8' C-order .npy file; throws on anything else. */
export function readF8Npy(bytes: Uint8Array): { header: string; shape: number[]; values: number[] } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b)) throw new Error('no \\x93NUMPY magic');
  if (bytes[6] !== 1 || bytes[7] !== 0) throw new Error(`version ${bytes[6]}.${bytes[7]}`);
  const headerLength = bytes[8] + 256 * bytes[9];
  const header = String.fromCharCode(...bytes.subarray(10, 10 + headerLength));
  if (!header.includes("'descr': '<f8'") || !header.includes("'fortran_order': False")) throw new Error(`header ${header}`);
  const shapeText = /'shape': \(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) throw new Error(`no shape in ${header}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 10 + headerLength;
  if (bytes.length !== start + 8 * count) throw new Error(`${bytes.length} bytes for ${count} values after ${start}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = Array.from({ length: count }, (_, i) => view.getFloat64(start + 8 * i, true));
  return { header, shape, values };
}

/** Row-major rows of a flat array. */
export function toRows(values: readonly number[], width: number): number[][] {
  return Array.from({ length: width === 0 ? 0 : values.length / width }, (_, i) => values.slice(i * width, (i + 1) * width));
}
