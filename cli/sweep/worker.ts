// A worker thread of `dfl sweep` (bundled as dist/sweep-worker.js, and inside the extension's dist/compute.js): runs the groups the main
// thread sends (one spec, or a batch for core/engine/batchRun.ts) and posts their summary rows back.
import { parentPort, workerData } from 'node:worker_threads';
import { executeGroup, type GroupRequest, type GroupReply } from './executeGroup';

const { backend, baseDir } = workerData as { backend: string; baseDir: string };
const running = new Map<number, AbortController>();

parentPort!.on('message', (message: GroupRequest | { cancel: number }) => {
  if ('cancel' in message) {
    running.get(message.cancel)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  executeGroup(message.points, { backend, baseDir, signal: controller.signal, measures: message.measures, keepResults: message.keepResults }).then(
    (runs) => parentPort!.postMessage({ id: message.id, runs } satisfies GroupReply),
    (error: unknown) => parentPort!.postMessage({ id: message.id, error: (error as Error)?.message ?? String(error) } satisfies GroupReply),
  ).finally(() => running.delete(message.id));
});
