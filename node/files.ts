import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync, accessSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { InputError } from '../core/errors';

// The one reader of users' files and the one atomic writer of outputs of the Node adapters (`dfl
// run --out`, `dfl report`, the extension's run store, the tests; docs/reliability.md). Reading opens first and checks the opened file's kind, so
// a link swapped after the check cannot slip a device or a pipe in; writing goes through a
// temporary file beside the output that is removed on every failure.

/** Largest input read: a 1024×1024 float64 `.npy` plus headroom; specs and results share it. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** One phrase for a file-system error code, as the messages of this module word it. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'name too long';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    case 'EPIPE':
      return 'the reader has gone';
    default:
      return code ? `cannot access it (${code})` : 'cannot access it';
  }
}

function kindOf(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Options of `readRegularFile`. */
export interface ReadOptions {
  /** Largest size accepted (bytes); default MAX_INPUT_BYTES. */
  readonly maxBytes?: number;
  /** How the file is named in messages; default the path as given. */
  readonly label?: string;
}

/**
 * The bytes of a regular file (after following links), at most `maxBytes` of them. Anything else
 * (a directory, a device, a pipe, a socket) is refused without reading from it; a pipe is opened
 * non-blocking so that the open itself cannot wait for a writer.
 * @throws InputError naming the file and what is wrong
 */
export function readRegularFile(file: string, options: ReadOptions = {}): Uint8Array {
  const label = options.label ?? file;
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  if (file === '') throw new InputError('an empty file name');
  if (file.includes('\0')) throw new InputError(`${JSON.stringify(file)}: not a file name`);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`${label}: ${describeFsError(error)}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new InputError(`${label}: ${kindOf(stats)}, not a regular file`);
    if (stats.size > max) throw new InputError(`${label}: ${stats.size} bytes is larger than the limit of ${max}`);
    // Read to the end with a cap: a file that grows while it is read is still bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      total += got;
      if (total > max) throw new InputError(`${label}: larger than the limit of ${max} bytes`);
      chunks.push(chunk.subarray(0, got));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${label}: ${describeFsError(error)}`);
  } finally {
    closeSync(fd);
  }
}

/** `readRegularFile` as UTF-8 text. */
export function readRegularTextFile(file: string, options: ReadOptions = {}): string {
  return Buffer.from(readRegularFile(file, options)).toString('utf8');
}

function identity(file: string): string | undefined {
  try {
    const s = statSync(file);
    return `${s.dev}:${s.ino}`;
  } catch {
    return undefined;
  }
}

function canonical(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** The nearest existing folder at or above `dir` (where a missing output folder would be made). */
function nearestExisting(dir: string): string {
  let d = path.resolve(dir);
  for (;;) {
    try {
      lstatSync(d);
      return d;
    } catch {
      const up = path.dirname(d);
      if (up === d) return d;
      d = up;
    }
  }
}

function checkFolderWritable(dir: string, label: string): void {
  const existing = nearestExisting(dir);
  let stats;
  try {
    stats = statSync(existing);
  } catch (error) {
    throw new InputError(`${label}: ${describeFsError(error)}`);
  }
  if (!stats.isDirectory()) throw new InputError(`${label}: ${path.relative(process.cwd(), existing) || existing} is not a directory`);
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${label}: the folder ${existing} is not writable`);
  }
}

/** Options of `checkOutputFile`. */
export interface OutputCheck {
  /** Files the command reads: the output may be none of them. */
  readonly inputs?: readonly string[];
  /** The flag that named the output, for messages (`--out`). */
  readonly flag?: string;
}

/**
 * Checks, before any work, that `file` can be written as a new or replaced regular file: not
 * empty, not a directory, device or pipe, not one of the inputs, in a folder that exists (or can
 * be made) and is writable.
 * @throws InputError naming the flag and the file
 */
export function checkOutputFile(file: string, check: OutputCheck = {}): void {
  const flag = check.flag ?? 'output';
  if (file.trim() === '') throw new InputError(`${flag}: an empty file name`);
  if (file.includes('\0')) throw new InputError(`${flag}: ${JSON.stringify(file)} is not a file name`);
  const label = `${flag} ${file}`;
  if (/[/\\]$/.test(file)) throw new InputError(`${label}: names a folder (expected a file name)`);
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw new InputError(`${label}: ${describeFsError(error)}`);
  }
  if (stats && !stats.isFile()) throw new InputError(`${label}: is ${kindOf(stats)}; give the name of a file to write`);
  const out = identity(file);
  const outPath = canonical(file);
  for (const input of check.inputs ?? []) {
    if ((out !== undefined && identity(input) === out) || canonical(input) === outPath)
      throw new InputError(`${label}: is also an input; writing it would replace ${input}`);
  }
  checkFolderWritable(path.dirname(path.resolve(file)), label);
}

/** Checks an output folder before any work: a folder, or a path where one can be made. */
export function checkOutputFolder(dir: string, flag = 'output'): void {
  if (dir.trim() === '') throw new InputError(`${flag}: an empty folder name`);
  if (dir.includes('\0')) throw new InputError(`${flag}: ${JSON.stringify(dir)} is not a folder name`);
  const label = `${flag} ${dir}`;
  let stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw new InputError(`${label}: ${describeFsError(error)}`);
  }
  if (stats && !stats.isDirectory()) throw new InputError(`${label}: is ${stats.isFile() ? 'an existing file' : kindOf(stats)}; give a folder`);
  checkFolderWritable(stats ? dir : path.dirname(path.resolve(dir)), label);
}

/**
 * Checks, before any work, that `dir` can be made as a new folder: a name, nothing there yet
 * (not even a dangling link), the nearest existing folder above it writable, and neither one of
 * `others` (other outputs of the same command) nor inside or above one of them.
 * @throws InputError naming the flag and the folder
 */
export function checkNewOutputFolder(dir: string, flag: string, others: readonly string[] = []): void {
  if (dir.trim() === '') throw new InputError(`${flag}: an empty folder name`);
  if (dir.includes('\0')) throw new InputError(`${flag}: ${JSON.stringify(dir)} is not a folder name`);
  const label = `${flag} ${dir}`;
  try {
    lstatSync(dir);
    throw new InputError(`${flag}: ${dir} already exists (give a new directory)`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as { code?: string }).code !== 'ENOENT') throw new InputError(`${label}: ${describeFsError(error)}`);
  }
  if (Buffer.byteLength(path.basename(path.resolve(dir))) > MAX_NAME_BYTES) throw new InputError(`${label}: name too long`);
  const mine = canonical(dir);
  for (const other of others) {
    const theirs = canonical(other);
    const inside = (a: string, b: string) => {
      const rel = path.relative(b, a);
      return rel === '' || !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
    };
    if (inside(mine, theirs) || inside(theirs, mine)) throw new InputError(`${label}: is also the output ${other} (or holds it); give them different paths`);
  }
  checkFolderWritable(path.dirname(path.resolve(dir)), label);
}

/**
 * The temporary `writeFileAtomic` writes `file` through: `.<name>.<pid>.<ms>.tmp` in the same
 * folder (a rename within one file system is atomic). The run store removes stale ones.
 */
function temporaryName(file: string, pid = process.pid, now = Date.now()): string {
  return path.join(path.dirname(file), fitName(path.basename(file), (stem) => `.${stem}.${pid}.${now}.tmp`));
}

/** Most bytes in one file name (ext4, xfs, tmpfs, btrfs). */
const MAX_NAME_BYTES = 255;

/**
 * `wrap(name)`, with `name` cut (and a hash of the whole added) so that the result fits in
 * MAX_NAME_BYTES: a derived name (temporary, partial) must not fail where the name itself is valid.
 */
function fitName(name: string, wrap: (stem: string) => string): string {
  const whole = wrap(name);
  if (Buffer.byteLength(whole) <= MAX_NAME_BYTES) return whole;
  const tag = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  const room = MAX_NAME_BYTES - Buffer.byteLength(wrap(tag));
  let cut = '';
  for (const c of name) {
    if (Buffer.byteLength(cut + c) > room) break;
    cut += c;
  }
  return wrap(cut + tag);
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same folder, flushed, then renamed
 * over `file`. On any failure the temporary file is removed and `file` is left as it was. Text
 * given in pieces (a result's JSON, row by row) is written as it comes, in blocks of about 1 MB,
 * so the whole text never needs to be in memory.
 * @throws InputError naming the file and the reason (a full disk, a folder that vanished, …)
 */
export function writeFileAtomic(file: string, text: string | Uint8Array | Iterable<string>): void {
  const out = openAtomicFile(file);
  try {
    if (typeof text === 'string' || text instanceof Uint8Array) out.write(text);
    else for (const piece of text) out.write(piece);
    out.commit();
  } catch (error) {
    out.discard();
    throw error;
  }
}

/** A file being written atomically (`openAtomicFile`). */
export interface AtomicFile {
  /** Appends text (UTF-8) or bytes. */
  write(piece: string | Uint8Array): void;
  /** Flushes and renames the temporary file over the file's name. */
  commit(): void;
  /** Removes the temporary file; the file is left as it was (safe to call after a failure). */
  discard(): void;
}

/**
 * `writeFileAtomic` for a writer that makes its text as it goes (two files written in one pass
 * over a sweep's rows): nothing replaces `file` before `commit`.
 * @throws InputError naming the file and the reason, from any call
 */
export function openAtomicFile(file: string): AtomicFile {
  const temporary = temporaryName(path.resolve(file));
  let fd: number | undefined;
  const failed = (error: unknown): never => {
    discard();
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot write (${describeFsError(error)})`);
  };
  const discard = () => {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the removal below is what matters
      }
      fd = undefined;
    }
    rmSync(temporary, { force: true });
  };
  try {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const existing = (() => {
      try {
        return statSync(file);
      } catch {
        return undefined;
      }
    })();
    // A device or folder put there since the check is never replaced.
    if (existing && !existing.isFile()) throw new InputError(`${file}: is ${kindOf(existing)}; not replaced`);
    fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  } catch (error) {
    failed(error);
  }
  const flush = (bytes: Uint8Array) => {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd!, bytes, offset, bytes.length - offset);
  };
  // Pieces are encoded straight into one reused block (joining them into a string first cost as
  // much again). A high surrogate ending a piece waits for the next, so a pair split between
  // pieces is written as the joined text would be.
  const block = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  let carry = '';
  const put = (piece: string) => {
    if (used + piece.length * 3 > block.length) {
      flush(block.subarray(0, used));
      used = 0;
    }
    if (piece.length * 3 > block.length) flush(Buffer.from(piece, 'utf8'));
    else used += block.write(piece, used, 'utf8');
  };
  return {
    write(piece) {
      if (fd === undefined) throw new InputError(`${file}: written after it was closed`);
      try {
        if (typeof piece !== 'string') {
          put(carry);
          carry = '';
          flush(block.subarray(0, used));
          used = 0;
          flush(piece);
          return;
        }
        if (carry !== '') {
          piece = carry + piece;
          carry = '';
        }
        const last = piece.charCodeAt(piece.length - 1);
        if (last >= 0xd800 && last <= 0xdbff) {
          carry = piece.slice(-1);
          piece = piece.slice(0, -1);
        }
        put(piece);
      } catch (error) {
        failed(error);
      }
    },
    commit() {
      if (fd === undefined) throw new InputError(`${file}: committed after it was closed`);
      try {
        put(carry);
        flush(block.subarray(0, used));
        closeSync(fd);
        fd = undefined;
        renameSync(temporary, file);
      } catch (error) {
        failed(error);
      }
    },
    discard,
  };
}

/**
 * Writes a new folder `dir` atomically: every file into a temporary sibling folder, which is
 * renamed to `dir` at the end, so that a failure never leaves half a folder. `dir` must not exist
 * (checkNewOutputFolder says so before any work).
 * @throws InputError naming `flag dir` and the reason
 */
export function writeFolderAtomic(dir: string, files: Iterable<readonly [string, string | Uint8Array]>, flag: string): void {
  const parent = path.dirname(path.resolve(dir));
  const temporary = path.join(parent, fitName(path.basename(path.resolve(dir)), (stem) => `.${stem}.${process.pid}.tmp`));
  let made = false;
  try {
    mkdirSync(parent, { recursive: true });
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    made = true;
    for (const [name, bytes] of files) writeFileSync(path.join(temporary, name), bytes);
    renameSync(temporary, dir);
  } catch (error) {
    if (made) rmSync(temporary, { recursive: true, force: true });
    // A folder that became unwritable or a disk that filled since the check: one line, exit 2.
    throw new InputError(`${flag} ${dir}: cannot write (${describeFsError(error)})`);
  }
}

/** `prev.json` → `prev.partial.json`: where a cancelled run's result goes, beside the old one. */
export function partialResultPath(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  const stem = ext ? base.slice(0, -ext.length) : base;
  return path.join(path.dirname(file), fitName(stem, (s) => `${s}.partial${ext}`));
}

/** `mkdir -p` for an output folder checked before: a failure (a file in the way) is one line. */
export function makeFolder(dir: string, flag: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${flag}: cannot make the folder ${dir} (${describeFsError(error)})`);
  }
}

/** Refuses to start in a folder that was deleted: every relative path would fail on its own. */
export function checkCurrentFolder(): void {
  try {
    process.cwd();
  } catch {
    throw new InputError('the current folder no longer exists (cd into one that does)');
  }
}

/** A text file the user named on the command line: a regular file, capped; an InputError says what is wrong. */
export function readTextFile(file: string, options: ReadOptions = {}): string {
  return readRegularTextFile(file, options);
}
