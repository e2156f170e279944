import { batchKey, runBatch } from '../core/engine/batchRun';
import { runExperiment } from '../core/engine/runExperiment';
import type { Accelerators } from '../core/linalg/accelerators';
import { nodeTargetSources, useNodeBackend, type NodeBackend } from '../node/platform';
import type { RunResult } from '../core/result';
import type { ExperimentSpec } from '../core/spec/schema';

export interface GroupRequest {
  id: number;
  specs: ExperimentSpec[];
}
export type GroupReply = { id: number; results: RunResult[] } | { id: number; error: string };

let ready: Promise<Accelerators> | undefined;
let readyFor = '';

/** Runs one group of a sweep in this thread: a batch through runBatch, a lone run through runExperiment. */
export async function executeGroup(specs: ExperimentSpec[], options: { backend: string; baseDir: string; signal: AbortSignal }): Promise<RunResult[]> {
  if (!ready || readyFor !== options.backend) {
    readyFor = options.backend;
    ready = useNodeBackend(options.backend as NodeBackend);
  }
  const accelerators = await ready;
  const sources = nodeTargetSources(options.baseDir);
  const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));
  if (specs.length > 1 || batchKey(specs[0], accelerators) !== undefined) return runBatch(specs, { sources, signal: options.signal, yieldToHost, accelerators });
  return [await runExperiment(specs[0], { sources, signal: options.signal, accelerators })];
}
