import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseRunResult, type RunResult } from '../../core/result';
import { slug } from '../../core/text';
import { writeFileAtomic } from '../../node/files';

export { slug, writeFileAtomic };

// Saved runs: one result JSON per run (the same file `dfl run --out` writes, so `dfl report`
// reads it), in the workspace's runs folder or the extension's global storage. No `vscode`.

/**
 * Temporaries of `writeFileAtomic` (`.<name>.<pid>.<ms>.tmp`, node/files.ts) and of earlier
 * versions of `dfl run --out` (`<name>.<pid>.tmp`); group 1 is the writer's process id.
 */
const TEMPORARY = /^\.?.+\.json\.(\d+)(?:\.\d+)?\.tmp$/;
/** A write takes milliseconds: a temporary this old was left by a process that died mid-write. */
const ABANDONED_MS = 10 * 60_000;
/** Younger than this, a temporary may be another machine's write in progress (shared folder). */
const WRITING_MS = 10_000;

/**
 * Whether `name` is a temporary result file that no process will rename any more: its writer is
 * gone (a host killed mid-save), or it is far older than any write takes.
 */
export function isStaleTemporary(name: string, ageMs: number, running: (pid: number) => boolean): boolean {
  const match = TEMPORARY.exec(name);
  if (!match) return false;
  return ageMs > ABANDONED_MS || (ageMs > WRITING_MS && !running(Number(match[1])));
}

/** Whether a process with this id runs on this machine (EPERM: it does, as another user). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `2025-01-31T12-04-05-123Z`: sorts like the time it names and is valid in every file system. */
export function timestampName(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

export interface SavedRun {
  /** Absolute path of the result JSON. */
  file: string;
  /** The file's name (stable id in views and panel state). */
  name: string;
  label: string;
  savedAt: number;
  result: RunResult;
}

/** What a run is called: its spec's name, else its target. */
function runLabel(result: Pick<RunResult, 'spec' | 'target'>): string {
  return result.spec.name ?? result.target.description;
}

export class RunStore {
  private cache = new Map<string, { mtime: number; run: SavedRun | null }>();

  constructor(readonly folder: string) {}

  /** Saves a result; returns its file. */
  save(result: RunResult, now = new Date()): SavedRun {
    const name = `${timestampName(now)}-${slug(runLabel(result))}.json`;
    const file = path.join(this.folder, name);
    writeFileAtomic(file, JSON.stringify(result));
    const run: SavedRun = { file, name, label: runLabel(result), savedAt: now.getTime(), result };
    this.cache.set(file, { mtime: statSync(file).mtimeMs, run });
    return run;
  }

  /** Whether `file` is a result file directly inside the runs folder. */
  contains(file: string): boolean {
    const resolved = path.resolve(file);
    return path.dirname(resolved) === path.resolve(this.folder) && resolved.endsWith('.json');
  }

  /** Reads one run (a file in this folder); throws with a one-line reason otherwise. */
  read(file: string): SavedRun {
    if (!this.contains(file)) throw new Error(`${path.basename(file)} is not a run of this workspace`);
    const stat = statSync(file);
    const hit = this.cache.get(file);
    if (hit && hit.mtime === stat.mtimeMs && hit.run) return hit.run;
    const result = parseRunResult(JSON.parse(readFileSync(file, 'utf8')), path.basename(file));
    const run: SavedRun = { file, name: path.basename(file), label: runLabel(result), savedAt: stat.mtimeMs, result };
    this.cache.set(file, { mtime: stat.mtimeMs, run });
    return run;
  }

  /** Every readable run, newest first; unreadable files are counted in `skipped`. */
  list(): { runs: SavedRun[]; skipped: string[] } {
    let names: string[];
    try {
      names = readdirSync(this.folder).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
    } catch {
      return { runs: [], skipped: [] };
    }
    const runs: SavedRun[] = [];
    const skipped: string[] = [];
    for (const name of names) {
      const file = path.join(this.folder, name);
      try {
        runs.push(this.read(file));
      } catch (error) {
        this.cache.set(file, { mtime: NaN, run: null });
        skipped.push(`${name}: ${(error as Error).message}`);
      }
    }
    runs.sort((a, b) => b.savedAt - a.savedAt || b.name.localeCompare(a.name));
    return { runs, skipped };
  }

  /** Removes temporaries left by crashed writers (they are never listed); returns their names. */
  removeStaleTemporaries(now = Date.now(), running: (pid: number) => boolean = processRunning): string[] {
    let names: string[];
    try {
      names = readdirSync(this.folder).filter((n) => n.endsWith('.tmp'));
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const file = path.join(this.folder, name);
      try {
        if (!isStaleTemporary(name, now - statSync(file).mtimeMs, running)) continue;
        rmSync(file, { force: true });
        removed.push(name);
      } catch {
        // Gone already (renamed by its writer, or removed by another window).
      }
    }
    return removed;
  }

  delete(file: string): void {
    if (!this.contains(file)) throw new Error(`${path.basename(file)} is not a run of this workspace`);
    rmSync(file, { force: true });
    this.cache.delete(file);
  }
}
