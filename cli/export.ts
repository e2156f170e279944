import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { readTextFile } from '../node/files';
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
  if (existsSync(dir)) throw new InputError(`--npy: ${dir} already exists (give a new directory)`);
  const { index, files } = replayFiles(result, nodeTargetSources(baseDir), source);
  const parent = path.dirname(path.resolve(dir));
  mkdirSync(parent, { recursive: true });
  const temporary = path.join(parent, `.${path.basename(dir)}.${process.pid}.tmp`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary);
  try {
    for (const [name, bytes] of files) writeFileSync(path.join(temporary, name), bytes);
    writeFileSync(path.join(temporary, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
    renameSync(temporary, dir);
  } catch (error) {
    rmSync(temporary, { recursive: true, force: true });
    throw error;
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
  const text = readTextFile(file);
  const result = parseReplayableResult(parseJson(text, file), file);
  writeReplayFiles(result, values.npy, path.dirname(path.resolve(file)), file);
  process.stderr.write(`wrote ${values.npy} (index.json and the .npy files of docs/replay.md)\n`);
  return 0;
}
