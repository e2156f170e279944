import { InputError } from '../core/errors';
import path from 'node:path';
import { checkNewOutputFolder, readTextFile, writeFolderAtomic } from '../node/files';
import { parseReplayableResult, replayFiles } from '../core/export/replayFiles';
import { nodeTargetSources } from '../node/platform';
import type { RunResult } from '../core/result';
import { parseJson } from '../core/spec/parseSpec';
import { EXPORT_COMMAND, parseCommand } from './options';

/**
 * Writes the replay files of a result into a new directory `dir` (docs/replay.md): refuses an
 * existing one, and writes it atomically (node/files.ts `writeFolderAtomic`), so that a failure never
 * leaves half an export. `baseDir` resolves a `file` target's relative path.
 */
export function writeReplayFiles(result: RunResult, dir: string, baseDir: string, source = 'result'): void {
  checkNewOutputFolder(dir, '--npy');
  const { index, files } = replayFiles(result, nodeTargetSources(baseDir), source);
  writeFolderAtomic(dir, [...files, ['index.json', `${JSON.stringify(index, null, 2)}\n`]], '--npy');
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
