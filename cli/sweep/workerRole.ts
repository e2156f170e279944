// How `dfl sweep` finds and starts its worker threads (cli/sweep/workerPool.ts): a bundle that is both the
// CLI and the worker (the extension's dist/compute.js) names itself in this variable, and every
// worker is started with this role in its workerData.

/** Environment variable naming the worker script when it is not dist/sweep-worker.js. */
export const SWEEP_WORKER_ENV = 'DFL_SWEEP_WORKER';
/** `workerData.role` of a sweep worker thread. */
export const SWEEP_WORKER_ROLE = 'dfl-sweep-worker';
