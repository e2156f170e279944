import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
