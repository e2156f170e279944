import fc from 'fast-check';
import { ClaimError, type Claim, type ClaimCounterexample, type ClaimReport, type ClaimViolation } from '../../core/claims/claim';
import { wilsonInterval } from '../../core/claims/wilson';
import { batchKey, runBatch } from '../../core/engine/batchRun';
import { runExperiment } from '../../core/engine/runExperiment';
import { InputError } from '../../core/errors';
import type { Accelerators } from '../../core/linalg/accelerators';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { domainArbitrary, type ClaimCase } from './domain';
import type { CaseRuns } from '../../core/claims/expression';

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

/** Whether `given` and `expect` hold on a case; an expression that fails to evaluate counts as false. */
function judge(claim: Claim, runs: CaseRuns): Outcome & { error?: string } {
  try {
    if (claim.given && !claim.given.evaluate(runs)) return { applicable: false, holds: true };
  } catch (error) {
    return { applicable: false, holds: true, error: `given: ${(error as Error).message.split('\n')[0]}` };
  }
  try {
    return { applicable: true, holds: claim.expect.evaluate(runs) };
  } catch (error) {
    return { applicable: true, holds: false, error: (error as Error).message.split('\n')[0] };
  }
}

const fmt = (v: number | string | boolean) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(6)) : String(v));

/** Which part of `expect` is false on this run, where, and the values on both sides. */
export function explainViolation(claim: Claim, runs: CaseRuns): ClaimViolation {
  if (claim.expect.evaluate(runs)) return { where: {}, expression: claim.expect.source, values: {}, message: `holds on this run: ${claim.expect.source}` };
  const falsehood = claim.expect.explain(runs);
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

/** Runs cases (and their variants), batched where the engine can (same logged steps; small matrix runs with a batched kernel). */
async function runCases(cases: ClaimCase[], options: ClaimCheckOptions, visit: (index: number, runs: CaseRuns) => void): Promise<void> {
  const specs: { spec: ExperimentSpec; caseIndex: number; variant?: string }[] = [];
  cases.forEach((c, caseIndex) => {
    specs.push({ spec: c.spec, caseIndex });
    for (const [variant, spec] of Object.entries(c.variants)) specs.push({ spec, caseIndex, variant });
  });
  const pending = cases.map((c) => 1 + Object.keys(c.variants).length);
  const runs: Partial<CaseRuns>[] = cases.map(() => ({}));
  const done = (k: number, result: RunResult) => {
    const { caseIndex, variant } = specs[k];
    const r = runs[caseIndex];
    if (variant === undefined) r.result = result;
    else (r.variants ??= {})[variant] = result;
    if (--pending[caseIndex] === 0) {
      visit(caseIndex, r as CaseRuns);
      runs[caseIndex] = {};
    }
  };
  const groups = new Map<string, number[]>();
  const alone: number[] = [];
  specs.forEach(({ spec }, k) => {
    const key = batchKey(spec, options.accelerators);
    if (key === undefined) alone.push(k);
    else groups.set(key, [...(groups.get(key) ?? []), k]);
  });
  for (const indices of groups.values())
    for (let k = 0; k < indices.length; k += BATCH_SIZE) {
      const chunk = indices.slice(k, k + BATCH_SIZE);
      const results = await runBatch(chunk.map((i) => specs[i].spec), { accelerators: options.accelerators, signal: options.signal });
      chunk.forEach((i, j) => done(i, results[j]));
    }
  for (const k of alone) done(k, await runExperiment(specs[k].spec, { accelerators: options.accelerators, signal: options.signal }));
}

/** Runs one case alone (`runExperiment`, as `dfl run` replays it). */
async function runCase(c: ClaimCase, options: ClaimCheckOptions): Promise<CaseRuns> {
  const run = (spec: ExperimentSpec) => runExperiment(spec, { accelerators: options.accelerators, signal: options.signal });
  const variants: Record<string, RunResult> = {};
  for (const [name, spec] of Object.entries(c.variants)) variants[name] = await run(spec);
  return { result: await run(c.spec), variants };
}

const caseKey = (c: ClaimCase) => JSON.stringify(c);

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
  const arbitrary = domainArbitrary(claim.definition);
  let cases: ClaimCase[];
  try {
    cases = fc.sample(arbitrary, { numRuns: runs, seed });
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
  let firstFailure: ClaimCase | undefined;
  // The largest range each outermost `all` of `expect` had: one that is empty on every case checked nothing.
  const allRanges = new Map<string, number>();
  await runCases(cases, options, (i, caseRuns) => {
    const outcome = judge(claim, caseRuns);
    outcomes.set(caseKey(cases[i]), outcome);
    if (outcome.applicable)
      for (const { quantifier, size } of claim.expect.allRanges(caseRuns)) allRanges.set(quantifier, Math.max(size, allRanges.get(quantifier) ?? 0));
    if (outcome.applicable) {
      applicable++;
      if (outcome.holds) holding++;
      else firstFailure ??= cases[i];
    }
    options.onCase?.(++done, runs);
  });
  const report: ClaimReport = { file: claim.file, name: claim.name, kind: claim.kind, statement: claim.statement, status: 'holds', cases: runs, applicable, holding, seconds: 0 };
  const counterexampleOf = async (c: ClaimCase, shrinks: number, path?: string): Promise<ClaimCounterexample> => {
    const caseRuns = await runCase(c, options);
    const outcome = judge(claim, caseRuns);
    const violation = outcome.error
      ? { where: {}, expression: claim.expect.source, values: {}, message: `could not be evaluated: ${outcome.error}` }
      : outcome.holds
        ? { where: {}, expression: claim.expect.source, values: {}, message: 'false in the batched run but true when run alone (float32 summation order): see docs/claims.md' }
        : explainViolation(claim, caseRuns);
    return { spec: c.spec, ...(Object.keys(c.variants).length ? { variants: c.variants } : {}), violation, shrinks, seed, path };
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
      fc.asyncProperty(arbitrary, async (c) => {
        let outcome = outcomes.get(caseKey(c));
        if (!outcome) outcome = judge(claim, await runCase(c, options));
        return !outcome.applicable || outcome.holds;
      }),
      { numRuns: runs, seed },
    );
    const shrunk = details.failed && details.counterexample ? (details.counterexample[0]) : firstFailure;
    report.counterexample = await counterexampleOf(shrunk, details.numShrinks, details.counterexamplePath ?? undefined);
  }
  if (claim.kind === 'theorem' && applicable === 0) {
    report.status = 'fails';
    report.note = `given held on none of the ${runs} cases: nothing was checked`;
  }
  const vacuous = [...allRanges].find(([, size]) => size === 0);
  if (vacuous && applicable > 0 && report.status === 'holds') {
    report.status = 'fails';
    report.note = `"${vacuous[0]}" ranged over an empty list on every case: nothing was checked`;
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}
