import { createHash, hash as cryptoHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, readdirSync, writeSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors';
import { parseRunResult } from '../../core/result';
import { expandSweepText, expandSweepTextAsync, type ExpandedSweep, type SweepPoint } from '../../core/sweep/expand';
import { specHash } from '../../core/sweep/hash';
import { createMeasurer } from '../../core/sweep/measures';
import { RUN_STORE, readStore, storeLine, type StoreReading } from '../../core/sweep/runStore';
import { pointRow, summaryJsonText, type SummaryRow } from '../../core/sweep/summary';
import { openAtomicFile, readRegularTextFile, readTextFile, type AtomicFile } from '../../node/files';

// A sweep's folder on disk (docs/sweeps.md): the sweep file's copy and how it ran (sweep/), the
// run stores (the sweep's and each shard's), result files, and the summary written from them.

/** The folder inside DIR with the sweep file copy, how it was run, and the Slurm job's files. */
export const META = 'sweep';
export const SWEEP_COPY = 'sweep.dfl-sweep.json';
/** `sweep/engine.json`: the backend and base folder of the sweep, with which `--rerun` replays a run. */
export const ENGINE = 'engine.json';
/** Largest run store read (a JavaScript string's limit is about 512 MiB; at ~1 kB a row, 5·10⁵ runs). */
const MAX_STORE_BYTES = 512 * 1024 * 1024;

/** The result files already in DIR (written by `--results`, `--rerun`, or an older dfl): hash → file name. */
function existingResults(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const name of readdirSync(dir)) {
    const m = /^run-([0-9a-f]{16})\.json$/.exec(name);
    if (m) found.set(m[1], name);
  }
  return found;
}

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readRegularTextFile(file));
  } catch {
    return undefined;
  }
}

/** The run stores of DIR: the sweep's own and every shard's. */
function storeFiles(dir: string): string[] {
  const files = [path.join(dir, RUN_STORE)];
  const meta = path.join(dir, META);
  if (existsSync(meta)) for (const name of readdirSync(meta)) if (/^shard-\d+-of-\d+\.jsonl$/.test(name)) files.push(path.join(meta, name));
  return files.filter((f) => existsSync(f));
}

/**
 * The verified rows of the finished runs among `points` found in DIR: from its run stores, then
 * from result files of runs no store has (a folder of an older dfl), each parsed with the result
 * schema and its spec hash checked. What does not verify is counted and runs again.
 */
export function finishedRows(dir: string, expanded: ExpandedSweep, points: readonly SweepPoint[]): StoreReading {
  const byHash = new Map(points.map((p) => [p.hash, p]));
  const reading: StoreReading = { rows: new Map(), rejected: 0 };
  for (const file of storeFiles(dir)) readStore(readRegularTextFile(file, { maxBytes: MAX_STORE_BYTES }), expanded, byHash, reading);
  const measure = createMeasurer(expanded.sweep.measures);
  for (const [hash, name] of existingResults(dir)) {
    const point = byHash.get(hash);
    if (!point || reading.rows.has(hash)) continue;
    try {
      const result = parseRunResult(JSON.parse(readRegularTextFile(path.join(dir, name))), name);
      if (specHash(result.spec) !== hash || result.stopped.kind === 'cancelled') throw new Error('not this run');
      reading.rows.set(hash, pointRow(point, result, measure));
    } catch {
      reading.rejected++;
    }
  }
  return reading;
}

export function writeSummary(dir: string, expanded: ExpandedSweep, rows: Iterable<SummaryRow>): void {
  const list = [...rows];
  // summary.csv's lines are written while summary.json is (one pass over the cells, and no line
  // kept: holding 10⁴ of them until the end cost more in garbage collection than making them).
  const json = openAtomicFile(path.join(dir, 'summary.json'));
  let csv: AtomicFile | undefined;
  try {
    csv = openAtomicFile(path.join(dir, 'summary.csv'));
    for (const piece of summaryJsonText(expanded, list, (line) => csv!.write(line))) json.write(piece);
    json.write('\n');
    json.commit();
    csv.commit();
  } catch (error) {
    json.discard();
    csv?.discard();
    throw error;
  }
}

/**
 * `--out` must be new, empty, or this sweep's folder (its copy in sweep/ has the same name; an
 * edited sweep of that name reuses the runs it still has). Anything else, the user's files or
 * another sweep's, is refused before anything is written, so nothing there is replaced.
 */
export function checkSweepFolder(dir: string, expanded: ExpandedSweep): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // absent (created below) or not a folder: the writes below say which in one line
  }
  if (entries.length === 0) return;
  const copy = path.join(dir, META, SWEEP_COPY);
  if (!existsSync(copy)) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? ', …' : '');
    throw new InputError(`--out ${dir}: holds files that are not a sweep's (${shown}); give a new or empty folder`);
  }
  const theirs = (readJson(copy) as { name?: unknown } | undefined)?.name ?? null;
  const ours = expanded.sweep.name ?? null;
  if (theirs !== ours)
    throw new InputError(`--out ${dir}: holds another sweep (${theirs === null ? 'an unnamed one' : JSON.stringify(theirs)}, not ${ours === null ? 'this unnamed one' : JSON.stringify(ours)}); give another folder`);
}

/** Appends rows to a run store, one write per group; a torn last line of a killed writer is closed off first (and rejected when read). */
export function storeAppender(file: string): { append(rows: readonly SummaryRow[]): void; close(): void } {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a+');
  const size = fstatSync(fd).size;
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) writeSync(fd, '\n');
  }
  // The lines of a group encoded one by one into a reused buffer (encoding the joined text cost
  // as much as making it), then written at once.
  let buffer = Buffer.allocUnsafe(1 << 16);
  return {
    append: (rows) => {
      if (rows.length === 0) return;
      let used = 0;
      for (const row of rows) {
        const line = storeLine(row);
        if (used + line.length * 3 > buffer.length) {
          const grown = Buffer.allocUnsafe(Math.max(2 * buffer.length, used + line.length * 3));
          buffer.copy(grown, 0, 0, used);
          buffer = grown;
        }
        used += buffer.write(line, used, 'utf8');
      }
      for (let offset = 0; offset < used; ) offset += writeSync(fd, buffer, offset, used - offset);
    },
    close: () => closeSync(fd),
  };
}

/** The points of shard i of K: every K-th run, so that each shard gets a share of every region of the grid. */
export function shardPoints(points: readonly SweepPoint[], shard: { index: number; count: number }): SweepPoint[] {
  return points.filter((_, i) => i % shard.count === shard.index);
}

export function readSweep(file: string): { text: string; expanded: ExpandedSweep } {
  // A regular file, capped (docs/reliability.md): a FIFO, a device or a huge file is refused
  // with one line naming it, before any run starts.
  const text = readTextFile(file);
  return { text, expanded: expandSweepText(text, file, { sha256: nodeSha256 }) };
}

/** `readSweep`, expanding in slices so that Ctrl-C (`signal`) stops it; `onStart` gets the run count. */
export async function readSweepAsync(file: string, signal: AbortSignal, onStart: (runs: number) => void): Promise<{ text: string; expanded: ExpandedSweep }> {
  const text = readTextFile(file);
  return { text, expanded: await expandSweepTextAsync(text, file, { signal, onStart, sha256: nodeSha256 }) };
}

// crypto.hash (Node ≥ 20.12) makes no Hash object: a sweep hashes every run's spec.
const nodeSha256: (text: string) => string =
  typeof cryptoHash === 'function' ? (text) => cryptoHash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');

