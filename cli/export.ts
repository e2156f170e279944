import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { checkNewOutputFolder, describeFsError, fitName, readTextFile } from '../node/files';
import { parseReplayableResult, replayFiles } from '../core/export/replayFiles';
import { nodeTargetSources } from '../node/platform';
import type { RunResult } from '../core/result';
import { parseJson } from '../core/spec/parseSpec';
import { EXPORT_COMMAND, parseCommand } from './options';

/**
 * Writes the replay files of a result into a new directory `dir` (docs/replay.md): refuses an
 * existing one, and writes into a temporary sibling that is renamed at the end, so that a failure
 * never leaves half an export. `baseDir` resolves a `file` target's relative path.
 */
export function writeReplayFiles(result: RunResult, dir: string, baseDir: string, source = 'result'): void {
  checkNewOutputFolder(dir, '--npy');
  const { index, files } = replayFiles(result, nodeTargetSources(baseDir), source);
  const parent = path.dirname(path.resolve(dir));
  const temporary = path.join(parent, fitName(path.basename(path.resolve(dir)), (stem) => `.${stem}.${process.pid}.tmp`));
  let made = false;
  try {
    mkdirSync(parent, { recursive: true });
    rmSync(temporary, { recursive: true, force: true });
    mkdirSync(temporary);
    made = true;
    for (const [name, bytes] of files) writeFileSync(path.join(temporary, name), bytes);
    writeFileSync(path.join(temporary, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    renameSync(temporary, dir);
  } catch (error) {
    if (made) rmSync(temporary, { recursive: true, force: true });
    // A folder that became unwritable or a disk that filled since the check: one line, exit 2.
    throw new InputError(`--npy ${dir}: cannot write (${describeFsError(error)})`);
  }
}

/** `dfl export RESULT.json --npy DIR`. */
export function exportCommand(args: string[]): number {
  const parsed = parseCommand(EXPORT_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new InputError(`dfl export: expected one result JSON file (got ${positionals.length})`);
  if (values.npy === undefined) throw new InputError('dfl export: --npy DIR is required');
  const file = positionals[0];
  checkNewOutputFolder(values.npy, '--npy', [file]);
  const text = readTextFile(file);
  const result = parseReplayableResult(parseJson(text, file), file);
  writeReplayFiles(result, values.npy, path.dirname(path.resolve(file)), file);
  process.stderr.write(`wrote ${values.npy} (index.json and the .npy files of docs/replay.md)\n`);
  return 0;
}
