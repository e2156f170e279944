import { isMainThread, workerData } from 'node:worker_threads';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from './sweep/workerRole';

// The entry of the extension's dist/compute.js: the extension host's engine (what
// extension/computeBundle.ts exports, required by the host), and, run as a script, the dfl
// that Run Sweep spawns (extension/sweeps/sweepProcess.ts), whose sweep worker threads are this
// same file started with workerData.role. One copy of tfjs and the engine in the vsix, not three.

export * from '../extension/computeBundle';

// A worker thread's script is its thread's main module too: the role is checked first.
if (!isMainThread && (workerData as { role?: string } | null)?.role === SWEEP_WORKER_ROLE) void import('./sweep/worker');
else if (isMainThread && require.main === module) {
  process.env[SWEEP_WORKER_ENV] = __filename;
  void import('./index');
}
