import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseRunResult, type RunResult } from '../../core/result';
import { parseJson } from '../../core/spec/parseSpec';
import { parseSweepSummary, type SweepSummary } from '../../core/sweep/phaseDiagram';
import { slug } from '../../core/text';
import { readRegularTextFile } from '../../node/files';

// Sweep output folders (`dfl sweep --out DIR`, docs/sweeps.md) as the extension sees them: where
// Run Sweep puts a sweep file's runs, which folders the side view lists, and the files the Lab's
// Sweep view reads from one. No `vscode`.

export const SWEEP_FILE_SUFFIX = '.dfl-sweep.json';
const SUMMARY = 'summary.json';
/** The only files a Lab may ask for (core/protocol/messages.ts openSweepRun). */
const RUN_FILE = /^run-[0-9a-f]{16}\.json$/;

export function isSweepFile(file: string): boolean {
  return file.endsWith(SWEEP_FILE_SUFFIX);
}

/** `sweeps/` beside the runs folder (`.dfl/runs` → `.dfl/sweeps`): sweeps are many runs, kept apart from single ones. */
export function sweepsFolderBeside(runsFolder: string): string {
  return path.join(path.dirname(runsFolder), 'sweeps');
}

/** Where Run Sweep writes `…/NAME.dfl-sweep.json`: `sweeps/NAME` (slugged), the same folder on every rerun, so it resumes. */
export function sweepOutputFolder(sweepsFolder: string, sweepFile: string): string {
  const base = path.basename(sweepFile);
  return path.join(sweepsFolder, slug(isSweepFile(base) ? base.slice(0, -SWEEP_FILE_SUFFIX.length) : base, 'sweep'));
}

export function hasSummary(folder: string): boolean {
  try {
    return statSync(path.join(folder, SUMMARY)).isFile();
  } catch {
    return false;
  }
}

/** A folder's summary.json, read as a capped regular file and validated; throws naming the file. */
export function readSweepSummary(folder: string): SweepSummary {
  const file = path.join(folder, SUMMARY);
  const label = `${path.basename(folder)}/${SUMMARY}`;
  return parseSweepSummary(parseJson(readRegularTextFile(file, { label }), label), label);
}

export interface SweepFolder {
  /** Absolute path of the output folder. */
  folder: string;
  /** The sweep's name, else the folder's. */
  label: string;
  done: number;
  total: number;
}

export function sweepLabel(folder: string, summary: Pick<SweepSummary, 'name'>): string {
  return summary.name ?? path.basename(folder);
}

/** Listed folders by summary.json's mtime: a running sweep rewrites it every second, the others stay read. */
export type SweepFolderCache = Map<string, { mtime: number; entry: SweepFolder | string }>;

/**
 * The sweep folders (those with a summary.json) directly inside `sweepsFolder`, by label;
 * unreadable summaries are named in `skipped`.
 */
export function listSweepFolders(sweepsFolder: string, cache: SweepFolderCache = new Map()): { sweeps: SweepFolder[]; skipped: string[] } {
  let names: string[];
  try {
    names = readdirSync(sweepsFolder, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return { sweeps: [], skipped: [] };
  }
  const sweeps: SweepFolder[] = [];
  const skipped: string[] = [];
  for (const name of names) {
    const folder = path.join(sweepsFolder, name);
    let mtime: number;
    try {
      const stat = statSync(path.join(folder, SUMMARY));
      if (!stat.isFile()) continue;
      mtime = stat.mtimeMs;
    } catch {
      continue;
    }
    let entry = cache.get(folder)?.mtime === mtime ? cache.get(folder)!.entry : undefined;
    if (entry === undefined) {
      try {
        const summary = readSweepSummary(folder);
        entry = { folder, label: sweepLabel(folder, summary), done: summary.done, total: summary.total };
      } catch (error) {
        entry = (error as Error).message;
      }
      cache.set(folder, { mtime, entry });
    }
    if (typeof entry === 'string') skipped.push(entry);
    else sweeps.push(entry);
  }
  sweeps.sort((a, b) => a.label.localeCompare(b.label) || a.folder.localeCompare(b.folder));
  return { sweeps, skipped };
}

/**
 * One run of a sweep folder, by the file name a Lab sent: only `run-HASH.json` directly in the
 * folder (no separators, no `..`), read as a capped regular file and validated as a result.
 */
export function readSweepRun(folder: string, file: string): RunResult {
  if (!RUN_FILE.test(file)) throw new Error(`${JSON.stringify(file.slice(0, 80))}: not a run of a sweep (expected run-HASH.json)`);
  const text = readRegularTextFile(path.join(folder, file), { label: file });
  return parseRunResult(parseJson(text, file), file);
}
