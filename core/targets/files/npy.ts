// NumPy's .npy format (what `numpy.save` writes) carries a matrix exactly, with no rounding through
// text. The header is a Python dict literal, so it is read with a small literal parser rather than
// guessed at with regular expressions; the shape is checked against the size limit before anything
// is allocated. Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

import { InputError } from '../../errors';
import { zeros, type DenseMatrix } from '../../linalg/dense';
import { checkShape, quoteForMessage, type MatrixParseOptions } from './common';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** NumPy itself refuses headers over 10 000 bytes by default; a numeric array needs under 200. */
const MAX_HEADER_BYTES = 65_535;

// ---------------------------------------------------------------------------------------------
// The header: a Python literal such as {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }

type PyValue = string | number | boolean | null | PyTuple | PyList | PyDict;
interface PyTuple {
  readonly kind: 'tuple';
  readonly items: readonly PyValue[];
}
interface PyList {
  readonly kind: 'list';
  readonly items: readonly PyValue[];
}
interface PyDict {
  readonly kind: 'dict';
  readonly entries: ReadonlyMap<string, PyValue>;
}

class LiteralSyntaxError extends Error {}

/** A recursive-descent parser for the few Python literals a .npy header can hold. */
class PyLiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseDocument(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${quoteForMessage(this.text.slice(this.pos, this.pos + 10))} after the value`);
    return value;
  }

  private fail(message: string): never {
    throw new LiteralSyntaxError(`${message} at character ${this.pos + 1}`);
  }

  /** Fails saying what was expected, or that the header ended too soon. */
  private expected(what: string): never {
    this.skipSpace();
    return this.fail(this.pos >= this.text.length ? `the header ends where ${what} was expected` : `expected ${what}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private eat(char: string): boolean {
    this.skipSpace();
    if (this.text[this.pos] !== char) return false;
    this.pos++;
    return true;
  }

  private value(): PyValue {
    this.skipSpace();
    if (++this.depth > 16) this.fail('nested too deeply');
    try {
      const char = this.text[this.pos];
      if (char === '{') return this.dict();
      if (char === '(' || char === '[') return this.sequence(char);
      if (char === "'" || char === '"') return this.string();
      if ((char === 'u' || char === 'b') && /['"]/.test(this.text[this.pos + 1] ?? '')) {
        this.pos++; // Python 2 era prefixes: u'<f8'
        return this.string();
      }
      const word = /^(?:True|False|None)\b/.exec(this.text.slice(this.pos, this.pos + 6));
      if (word) {
        this.pos += word[0].length;
        return word[0] === 'None' ? null : word[0] === 'True';
      }
      const integer = /^[+-]?\d+[lL]?/.exec(this.text.slice(this.pos, this.pos + 40)); // 3L: Python 2 longs
      if (integer) {
        this.pos += integer[0].length;
        return Number(integer[0].replace(/[lL]$/, ''));
      }
      return char === undefined ? this.expected('a value') : this.fail(`unexpected ${quoteForMessage(char)}`);
    } finally {
      this.depth--;
    }
  }

  private string(): string {
    const delimiter = this.text[this.pos++];
    let out = '';
    for (;;) {
      const char = this.text[this.pos++];
      if (char === undefined || char === '\n') this.fail('unterminated string');
      if (char === delimiter) return out;
      out += char === '\\' ? (this.text[this.pos++] ?? '') : char;
    }
  }

  /** `(…)` is a tuple when empty or when it has a comma, like in Python; `[…]` is a list. */
  private sequence(open: '(' | '['): PyValue {
    const close = open === '(' ? ')' : ']';
    this.pos++;
    const items: PyValue[] = [];
    let sawComma = false;
    while (!this.eat(close)) {
      items.push(this.value());
      if (this.eat(',')) sawComma = true;
      else if (!this.eat(close)) this.expected(`',' or '${close}'`);
      else break;
    }
    if (open === '[') return { kind: 'list', items };
    if (items.length === 1 && !sawComma) return items[0];
    return { kind: 'tuple', items };
  }

  private dict(): PyDict {
    this.pos++;
    const entries = new Map<string, PyValue>();
    while (!this.eat('}')) {
      this.skipSpace();
      const quoteChar = this.text[this.pos];
      if (quoteChar !== "'" && quoteChar !== '"') this.expected('a quoted key');
      const key = this.string();
      if (!this.eat(':')) this.expected("':'");
      entries.set(key, this.value());
      if (!this.eat(',')) {
        if (!this.eat('}')) this.expected("',' or '}'");
        break;
      }
    }
    return { kind: 'dict', entries };
  }
}

function isTuple(value: PyValue | undefined): value is PyTuple {
  return typeof value === 'object' && value !== null && value.kind === 'tuple';
}

function formatPythonFull(value: PyValue): string {
  if (typeof value === 'string') return /^[\x20-\x26\x28-\x7e]*$/.test(value) ? `'${value}'` : quoteForMessage(value, Infinity);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (value === null) return 'None';
  if (value.kind === 'tuple') return `(${value.items.map(formatPythonFull).join(', ')}${value.items.length === 1 ? ',' : ''})`;
  if (value.kind === 'list') return `[${value.items.map(formatPythonFull).join(', ')}]`;
  return '{…}';
}

/** A header value as Python would print it, on one line and cut to a readable length. */
function formatPython(value: PyValue | undefined): string {
  const text = value === undefined ? 'nothing' : formatPythonFull(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// dtypes

/** Reads element `index` of the data block. */
type ElementReader = (view: DataView, index: number) => number;

function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Readers for float (f2, f4, f8), signed and unsigned integers (1, 2, 4 and 8 bytes; 8-byte values
 * beyond 2^53 are rounded to the nearest double) and bool (b1, read as 0 and 1), in either byte order.
 */
function readerFor(kind: string, size: number, little: boolean): ElementReader | undefined {
  switch (`${kind}${size}`) {
    case 'f2':
      return (v, i) => halfToNumber(v.getUint16(i * 2, little));
    case 'f4':
      return (v, i) => v.getFloat32(i * 4, little);
    case 'f8':
      return (v, i) => v.getFloat64(i * 8, little);
    case 'i1':
      return (v, i) => v.getInt8(i);
    case 'i2':
      return (v, i) => v.getInt16(i * 2, little);
    case 'i4':
      return (v, i) => v.getInt32(i * 4, little);
    case 'i8':
      return (v, i) => Number(v.getBigInt64(i * 8, little));
    case 'u1':
      return (v, i) => v.getUint8(i);
    case 'u2':
      return (v, i) => v.getUint16(i * 2, little);
    case 'u4':
      return (v, i) => v.getUint32(i * 4, little);
    case 'u8':
      return (v, i) => Number(v.getBigUint64(i * 8, little));
    case 'b1':
      return (v, i) => (v.getUint8(i) === 0 ? 0 : 1);
    default:
      return undefined;
  }
}

interface Dtype {
  readonly descr: string;
  readonly size: number;
  readonly read: ElementReader;
}

function parseDtype(descr: PyValue | undefined, source: string): Dtype {
  const unsupported = new InputError(`${source}: dtype ${formatPython(descr)} is not supported (use float32, float64 or an integer type)`);
  if (typeof descr !== 'string') throw unsupported; // a structured dtype: a list of fields
  const match = /^([<>|=]?)([a-zA-Z?])(\d+)$/.exec(descr);
  if (!match) throw unsupported;
  const [, order, kind, sizeText] = match;
  const size = Number(sizeText);
  const read = readerFor(kind, size, order !== '>');
  if (!read) throw unsupported;
  if (size > 1 && order !== '<' && order !== '>') {
    const expected = `'<${kind}${size}' or '>${kind}${size}'`;
    throw new InputError(`${source}: dtype ${formatPython(descr)} does not say its byte order (expected ${expected})`);
  }
  return { descr, size, read };
}

// ---------------------------------------------------------------------------------------------

const HEADER_KEYS = ['descr', 'fortran_order', 'shape'];

/** The header dict, with exactly the keys NumPy writes (NumPy's reader insists on them too). */
function readHeader(text: string, source: string): PyDict {
  let header: PyValue;
  try {
    header = new PyLiteralParser(text).parseDocument();
  } catch (error) {
    if (!(error instanceof LiteralSyntaxError)) throw error;
    throw new InputError(`${source}: the header is not a valid Python dict literal: ${error.message}`);
  }
  if (typeof header !== 'object' || header === null || header.kind !== 'dict') {
    throw new InputError(`${source}: the header is not a Python dict (got ${formatPython(header)})`);
  }
  const expected = '(expected descr, fortran_order and shape)';
  for (const key of header.entries.keys()) {
    if (!HEADER_KEYS.includes(key)) throw new InputError(`${source}: the header has the unexpected key ${formatPython(key)} ${expected}`);
  }
  for (const key of HEADER_KEYS) {
    if (!header.entries.has(key)) throw new InputError(`${source}: the header has no '${key}' ${expected}`);
  }
  return header;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

function decodeHeader(bytes: Uint8Array, utf8: boolean, source: string): string {
  if (!utf8) {
    let text = ''; // latin-1: one byte, one code point (TextDecoder's 'latin1' is windows-1252)
    for (const byte of bytes) text += String.fromCharCode(byte);
    return text;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${source}: the header is not valid UTF-8`);
  }
}

/**
 * Parses a NumPy `.npy` file (format versions 1.0, 2.0 and 3.0) holding a 2-D array.
 *
 * Accepted dtypes are float16/32/64, signed and unsigned integers of 1 to 8 bytes and bool (read as
 * 0 and 1), little- or big-endian, in C or Fortran order. 1-D and 3-D arrays are refused rather than
 * reshaped. Bytes after the data are ignored (some writers pad files).
 *
 * @param bytes the whole file
 * @param source the name shown in error messages, usually the file name
 * @throws InputError for a file that is not .npy (or is a .npz archive), an unknown version, a
 *   truncated or malformed header, a dtype that is not real numbers, a shape that is not 2-D,
 *   empty or beyond `options.maxDimension` (checked before allocating), truncated data and a
 *   NaN or infinite element (named by its index and 1-based row and column)
 */
export function parseNpy(bytes: Uint8Array, source: string, options?: MatrixParseOptions): DenseMatrix {
  if (!startsWith(bytes, MAGIC)) {
    if (startsWith(bytes, [0x50, 0x4b])) {
      throw new InputError(`${source}: this is a zip archive (.npz?), not a .npy file; save a single array with numpy.save`);
    }
    throw new InputError(`${source}: not a .npy file (it does not start with the bytes \\x93NUMPY)`);
  }
  if (bytes.length < 10) throw new InputError(`${source}: truncated header (the file has only ${bytes.length} bytes)`);
  const major = bytes[6];
  const minor = bytes[7];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw new InputError(`${source}: unsupported .npy format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new InputError(`${source}: truncated header (the file has only ${bytes.length} bytes)`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new InputError(
      `${source}: the header claims ${headerLength} bytes, more than a numeric array needs (${MAX_HEADER_BYTES} at most)`,
    );
  }
  const dataStart = headerStart + headerLength;
  if (bytes.length < dataStart) {
    const available = bytes.length - headerStart;
    throw new InputError(`${source}: truncated header (it should be ${headerLength} bytes, the file has ${available} after the preamble)`);
  }

  const header = readHeader(decodeHeader(bytes.subarray(headerStart, dataStart), major === 3, source), source);
  const dtype = parseDtype(header.entries.get('descr'), source);
  const fortranOrder = header.entries.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') {
    throw new InputError(`${source}: the header's fortran_order must be True or False, got ${formatPython(fortranOrder)}`);
  }
  const shape = header.entries.get('shape');
  if (!isTuple(shape) || !shape.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new InputError(`${source}: the header's shape must be a tuple of sizes, got ${formatPython(shape)}`);
  }
  if (shape.items.length !== 2) {
    throw new InputError(`${source}: expected a 2-D array, got shape ${formatPython(shape)} (${shape.items.length}-D)`);
  }
  const [rows, cols] = shape.items as readonly number[];
  checkShape(source, rows, cols, options);

  const count = rows * cols;
  const needed = count * dtype.size;
  if (bytes.length - dataStart < needed) {
    const what = `shape ${formatPython(shape)} of ${formatPython(dtype.descr)}`;
    throw new InputError(`${source}: truncated data (${what} needs ${needed} bytes, the file has ${bytes.length - dataStart})`);
  }

  const data = new DataView(bytes.buffer, bytes.byteOffset + dataStart, needed);
  const matrix = zeros(rows, cols);
  for (let k = 0; k < count; k++) {
    const value = dtype.read(data, k);
    const r = fortranOrder ? k % rows : Math.floor(k / cols);
    const c = fortranOrder ? Math.floor(k / rows) : k % cols;
    if (!Number.isFinite(value)) {
      throw new InputError(`${source}: element [${r}, ${c}] (row ${r + 1}, column ${c + 1}) is ${value}, not a finite number`);
    }
    matrix.data[r * cols + c] = value;
  }
  return matrix;
}
