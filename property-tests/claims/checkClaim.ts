import fc from 'fast-check';
import { ClaimError, type Claim, type ClaimCounterexample, type ClaimReport, type ClaimViolation } from '../../core/claims/claim';
import { wilsonInterval } from '../../core/claims/wilson';
import { batchKey, runBatch } from '../../core/engine/batchRun';
import { runExperiment } from '../../core/engine/runExperiment';
import { InputError } from '../../core/errors';
import type { Accelerators } from '../../core/linalg/accelerators';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { domainArbitrary } from './domain';

export interface ClaimCheckOptions {
  /** Cases to generate (default: the claim's `runs`, else 100). */
  runs?: number;
  seed?: number;
  signal?: AbortSignal;
  /** Called after each generated case (not the shrinking runs). */
  onCase?: (done: number, total: number) => void;
  /** The platform's kernels (node/platform.ts): batches of small runs go through its batched kernel. */
  accelerators?: Accelerators;
}

/** Cases stepped together by `runBatch` at most (their results are kept until the batch ends). */
const BATCH_SIZE = 16;

type Outcome = { applicable: boolean; holds: boolean };

/** Whether `given` and `expect` hold on a run; an expression that fails to evaluate counts as false. */
function judge(claim: Claim, result: RunResult): Outcome & { error?: string } {
  try {
    if (claim.given && !claim.given.evaluate(result)) return { applicable: false, holds: true };
  } catch (error) {
    return { applicable: false, holds: true, error: `given: ${(error as Error).message.split('\n')[0]}` };
  }
  try {
    return { applicable: true, holds: claim.expect.evaluate(result) };
  } catch (error) {
    return { applicable: true, holds: false, error: (error as Error).message.split('\n')[0] };
  }
}

const fmt = (v: number | string | boolean) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : String(v));

/** Which part of `expect` is false on this run, where, and the values on both sides. */
export function explainViolation(claim: Claim, result: RunResult): ClaimViolation {
  const falsehood = claim.expect.explain(result);
  const at = [
    falsehood.where.step !== undefined ? `step ${falsehood.where.step}` : '',
    falsehood.where.component !== undefined ? `component ${falsehood.where.component}` : '',
    falsehood.where.plateau !== undefined ? `plateau ${falsehood.where.plateau} (steps ${falsehood.where.steps?.join('–')})` : '',
  ].filter(Boolean);
  // Six digits, or every digit where six would show two different values alike.
  const shown = Object.values(falsehood.values).filter((v) => typeof v === 'number').map((v) => fmt(v));
  const exact = new Set(shown).size < shown.length;
  const values = Object.entries(falsehood.values).map(([k, v]) => `${k} = ${exact && typeof v === 'number' ? String(v) : fmt(v)}`).join(', ');
  const message = `false${at.length ? ` at ${at.join(', ')}` : ''}: ${falsehood.expression}  (${values})`;
  return { ...falsehood, message };
}

/** Runs specs, batched where the engine can (same logged steps; small matrix runs with a batched kernel). */
async function runAll(specs: ExperimentSpec[], options: ClaimCheckOptions, visit: (index: number, result: RunResult) => void): Promise<void> {
  const groups = new Map<string, number[]>();
  const alone: number[] = [];
  specs.forEach((spec, i) => {
    const key = batchKey(spec, options.accelerators);
    if (key === undefined) alone.push(i);
    else groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indices of groups.values())
    for (let k = 0; k < indices.length; k += BATCH_SIZE) {
      const chunk = indices.slice(k, k + BATCH_SIZE);
      const results = await runBatch(chunk.map((i) => specs[i]), { accelerators: options.accelerators, signal: options.signal });
      chunk.forEach((i, j) => visit(i, results[j]));
    }
  for (const i of alone) visit(i, await runExperiment(specs[i], { accelerators: options.accelerators, signal: options.signal }));
}

const caseKey = (spec: ExperimentSpec) => JSON.stringify(spec);

/**
 * Checks one claim on generated cases. A theorem must hold on every case where `given` holds;
 * the first failure is shrunk by fast-check (smaller n, depth, steps, spectra, seeds) and
 * explained on a fresh `runExperiment` of the shrunk spec, which is what `dfl run` replays. An
 * observation holds when `expect` holds on at least `frequency` of the applicable cases.
 */
export async function checkClaim(claim: Claim, options: ClaimCheckOptions = {}): Promise<ClaimReport> {
  const started = performance.now();
  const runs = options.runs ?? claim.runs;
  const seed = options.seed ?? 0;
  const arbitrary = domainArbitrary(claim.definition.domain);
  let specs: ExperimentSpec[];
  try {
    specs = fc.sample(arbitrary, { numRuns: runs, seed });
  } catch (error) {
    if (error instanceof InputError) throw new ClaimError(claim.file, `claim.domain does not generate valid specs: ${error.message}`);
    throw error;
  }
  // The generated cases run first, in batches; fast-check's property then reads their outcomes
  // and runs only the cases it makes while shrinking.
  const outcomes = new Map<string, Outcome>();
  let done = 0;
  let applicable = 0;
  let holding = 0;
  let firstFailure: ExperimentSpec | undefined;
  await runAll(specs, options, (i, result) => {
    const outcome = judge(claim, result);
    outcomes.set(caseKey(specs[i]), outcome);
    if (outcome.applicable) {
      applicable++;
      if (outcome.holds) holding++;
      else firstFailure ??= specs[i];
    }
    options.onCase?.(++done, runs);
  });
  const report: ClaimReport = { file: claim.file, name: claim.name, kind: claim.kind, statement: claim.statement, status: 'holds', cases: runs, applicable, holding, seconds: 0 };
  const counterexampleOf = async (spec: ExperimentSpec, shrinks: number, path?: string): Promise<ClaimCounterexample> => {
    const result = await runExperiment(spec, { accelerators: options.accelerators, signal: options.signal });
    const outcome = judge(claim, result);
    const violation = outcome.error
      ? { where: {}, expression: claim.expect.source, values: {}, message: `could not be evaluated: ${outcome.error}` }
      : outcome.holds
        ? { where: {}, expression: claim.expect.source, values: {}, message: 'false in the batched run but true when run alone (float32 summation order): see docs/claims.md' }
        : explainViolation(claim, result);
    return { spec, violation, shrinks, seed, path };
  };
  if (claim.kind === 'observation') {
    const required = claim.frequency ?? 1;
    report.required = required;
    report.interval = wilsonInterval(holding, applicable);
    report.status = applicable > 0 && holding / applicable >= required ? 'holds' : 'fails';
    if (firstFailure) report.counterexample = await counterexampleOf(firstFailure, 0);
  } else if (firstFailure) {
    report.status = 'fails';
    const details = await fc.check(
      fc.asyncProperty(arbitrary, async (spec) => {
        let outcome = outcomes.get(caseKey(spec));
        if (!outcome) outcome = judge(claim, await runExperiment(spec, { accelerators: options.accelerators, signal: options.signal }));
        return !outcome.applicable || outcome.holds;
      }),
      { numRuns: runs, seed },
    );
    const shrunk = details.failed && details.counterexample ? (details.counterexample[0] as ExperimentSpec) : firstFailure;
    report.counterexample = await counterexampleOf(shrunk, details.numShrinks, details.counterexamplePath ?? undefined);
  }
  if (claim.kind === 'theorem' && applicable === 0) {
    report.status = 'fails';
    report.note = `given held on none of the ${runs} cases: nothing was checked`;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
