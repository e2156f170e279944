import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';

// The one atomic file write of the Node adapters (`dfl run --out`, `dfl report`, the extension's
// run store): readers never see half a file, and a crash leaves at most a temporary behind.

/**
 * The temporary `writeFileAtomic` writes `file` through: `.<name>.<pid>.<ms>.tmp` in the same
 * folder (a rename within one file system is atomic). The run store removes stale ones.
 */
export function temporaryName(file: string, pid = process.pid, now = Date.now()): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${pid}.${now}.tmp`);
}

/** Writes through a temporary file in the same folder and a rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = temporaryName(file);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A text file the user named on the command line; an InputError says when it is not there. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: no such file`);
  }
}
