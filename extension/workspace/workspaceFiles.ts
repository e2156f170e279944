import { realpathSync } from 'node:fs';
import path from 'node:path';
import { MAX_INPUT_BYTES, readRegularFile } from '../../node/files';

// Paths named by experiment files or by the Lab page are resolved here and must stay inside a
// workspace folder (after following symbolic links). No `vscode`.

function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function real(file: string, realpath: (p: string) => string): string {
  try {
    return realpath(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Resolves `file` (relative to `baseDir`, or absolute) and returns it when it lies inside one
 * of `roots`; throws an Error whose message names the file otherwise.
 */
export function resolveWorkspaceFile(file: string, baseDir: string, roots: readonly string[], realpath: (p: string) => string = realpathSync): string {
  if (file.includes('\0')) throw new Error(`${JSON.stringify(file)}: not a file name`);
  if (roots.length === 0) throw new Error(`${file}: open a folder first (matrix files are read from the workspace only)`);
  const resolved = path.resolve(baseDir, file);
  const target = real(resolved, realpath);
  if (!roots.some((root) => inside(real(root, realpath), target)))
    throw new Error(`${file}: outside the workspace (matrix files are read from the workspace folders only)`);
  return target;
}

/**
 * The bytes of a workspace file named by a run: resolved as above, then read as a regular file
 * with the input cap (a FIFO would block the extension host; a link to /dev/zero would fill it).
 */
export function readWorkspaceFile(file: string, baseDir: string, roots: readonly string[]): Uint8Array {
  return readRegularFile(resolveWorkspaceFile(file, baseDir, roots), { label: file, maxBytes: MAX_INPUT_BYTES });
}
