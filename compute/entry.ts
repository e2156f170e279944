import { isMainThread, workerData } from 'node:worker_threads';
import { SWEEP_WORKER_ENV, SWEEP_WORKER_ROLE } from '../cli/sweep/workerRole';

// The entry of dist/compute.js, shared by the extension and the CLI without either depending on
// the other: the extension host's engine (what ./bundle.ts exports, required by the host), and,
// run as a script, the dfl that Run Sweep spawns (extension/sweeps/sweepProcess.ts), whose sweep
// worker threads are this same file started with workerData.role. One copy of tfjs and the engine
// in the vsix, not three.

export * from './bundle';

// A worker thread's script is its thread's main module too: the role is checked first.
if (!isMainThread && (workerData as { role?: string } | null)?.role === SWEEP_WORKER_ROLE) void import('../cli/sweep/worker');
else if (isMainThread && require.main === module) {
  process.env[SWEEP_WORKER_ENV] = __filename;
  void import('../cli/index');
}
