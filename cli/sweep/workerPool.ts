import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { batchKey } from '../../core/engine/batchRun';
import type { Accelerators } from '../../core/linalg/accelerators';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { ExpandedSweep } from '../../core/sweep/expand';
import type { FinishedRun, SweepExecutor } from '../../core/sweep/runSweep';
import type { NodeBackend } from '../../node/platform';
import { executeGroup, type GroupReply } from './executeGroup';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from './workerRole';

// Where the groups of a sweep run: a pool of worker threads (cli/sweep/worker.ts), each taking
// one group at a time, or this thread.

/** The worker script: the bundle named by $DFL_SWEEP_WORKER, else the worker bundle next to the CLI bundle (dist/), also when the CLI runs from its sources (cli/sweep/). */
function workerScript(): string | undefined {
  const named = process.env[SWEEP_WORKER_ENV];
  if (named && existsSync(named)) return named;
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const candidate of [path.join(here, 'sweep-worker.js'), path.join(here, '..', '..', 'dist', 'sweep-worker.js')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** `jobs` worker threads, or this thread when jobs = 1 or the worker bundle is missing. */
export function createExecutor(jobs: number, backend: NodeBackend, baseDir: string, accelerators: Accelerators, expanded: ExpandedSweep, keepResults: boolean): SweepExecutor & { close(): Promise<void> } {
  const script = jobs > 1 ? workerScript() : undefined;
  const { measures } = expanded.sweep;
  const base = { batchKey: (spec: ExperimentSpec) => batchKey(spec, accelerators), maxBatch: 256 };
  if (!script) {
    return { ...base, jobs: 1, run: (points, signal) => executeGroup(points, { backend, baseDir, signal, measures, keepResults }), close: async () => undefined };
  }
  const idle: Worker[] = [];
  const waiting: ((w: Worker) => void)[] = [];
  const workers = Array.from({ length: jobs }, () => {
    const worker = new Worker(script, { workerData: { backend, baseDir, role: SWEEP_WORKER_ROLE }, env: { ...process.env, DFL_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
    worker.unref();
    idle.push(worker);
    return worker;
  });
  let nextId = 0;
  const take = () => new Promise<Worker>((resolve) => (idle.length > 0 ? resolve(idle.pop()!) : waiting.push(resolve)));
  const give = (w: Worker) => (waiting.length > 0 ? waiting.shift()!(w) : idle.push(w));
  return {
    ...base,
    jobs,
    async run(points, signal) {
      const worker = await take();
      const id = nextId++;
      try {
        return await new Promise<(FinishedRun | undefined)[]>((resolve, reject) => {
          const onAbort = () => worker.postMessage({ cancel: id });
          const onMessage = (reply: GroupReply) => {
            if (reply.id !== id) return;
            worker.off('message', onMessage);
            worker.off('error', onError);
            signal.removeEventListener('abort', onAbort);
            if ('error' in reply) reject(new Error(reply.error));
            else resolve(reply.runs);
          };
          const onError = (error: Error) => {
            worker.off('message', onMessage);
            reject(error);
          };
          worker.on('message', onMessage);
          worker.once('error', onError);
          signal.addEventListener('abort', onAbort, { once: true });
          if (signal.aborted) onAbort();
          worker.postMessage({ id, points, measures, keepResults });
        });
      } finally {
        give(worker);
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

