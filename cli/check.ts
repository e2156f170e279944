import { InputError } from '../core/errors';
import { useNodeBackend } from '../node/platform';
import { effectiveRankMeasures, MAX_MATRIX_N } from '../core/spec/schema';
import { formatObservation, formatReport, observations, runObservation, runProperties, theorems } from '../property-tests';
import type { PropertyReport } from '../property-tests/runner';
import { integerFlag, noPositionals } from './flags';
import { CHECK_COMMAND, parseCommand } from './options';

/** fast-check seeds are 32-bit: a larger one would silently repeat another seed's runs. */
const MAX_SEED = 2 ** 31 - 1;

/**
 * Per measure, from the plateau-rank property, over the measured ε-runs of ≥ 20 steps: the share
 * that contain a prediction and the mean tightness (predicted steps inside over the run's length,
 * a run without a prediction counting 0; docs/theory.md Theorem 5.10).
 */
function predictionFigures(reports: PropertyReport[]): string[] {
  const stats = reports.find((r) => r.name === 'plateau-rank')?.statistics;
  if (!stats) return [];
  const lines = ['predictions per measure (plateau-rank), over measured ε-runs ≥ 20 steps: mean tightness (a run without a prediction counts 0); share with a prediction'];
  for (const measure of effectiveRankMeasures) {
    const t = stats[`tightness/${measure}`];
    const share = stats[`predictedShare/${measure}`];
    if (!t && !share) continue;
    lines.push(`  ${measure.padEnd(9)}  tightness ${t ? `${t.mean.toFixed(3)} (min ${t.min.toFixed(2)})` : '—'}  predicted ${share ? `${(100 * share.mean).toFixed(1)} % of ${share.count} runs` : '—'}`);
  }
  return lines;
}

/**
 * `dfl check`: every theorem of docs/theory.md §6 as a fast-check property, one line each, then the
 * empirical observations with their frequencies. Exit 1 on a failed property.
 */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(CHECK_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals('check', positionals);
  // Zero runs would check nothing and still report "all hold": a gate that cannot fail.
  const runs = integerFlag('--runs', values.runs, { min: 1, max: 100_000, fallback: 100 });
  const seed = integerFlag('--seed', values.seed, { min: 0, max: MAX_SEED, fallback: Math.floor(Math.random() * MAX_SEED) });
  // Generated specs have n ≥ 2 (theorySpec's minN).
  const maxN = integerFlag('--max-n', values['max-n'], { min: 2, max: MAX_MATRIX_N, fallback: 200 });
  const cases = integerFlag('--observations', values.observations, { min: 0, max: 1000, fallback: 5 });
  const selected = values.property === undefined ? theorems : theorems.filter((p) => p.name === values.property);
  const selectedObservations = cases === 0 ? [] : values.property === undefined ? observations : observations.filter((o) => o.name === values.property);
  if (selected.length + selectedObservations.length === 0)
    throw new InputError(`--property: unknown property "${values.property}" (available: ${[...theorems, ...observations].map((p) => p.name).join(', ')})`);
  await useNodeBackend('wasm');
  const log = (line: string) => !values.json && process.stdout.write(`${line}\n`);
  log(`dfl check: ${selected.length} theorem properties × ${runs} runs, seed ${seed}, n ≤ ${maxN}`);
  const reports = await runProperties(selected, { runs, seed, maxN }, (r) => log(formatReport(r)));
  for (const line of predictionFigures(reports)) log(line);
  const observed = [];
  for (const o of selectedObservations) {
    const r = await runObservation(o, cases, seed);
    log(formatObservation(r));
    observed.push(r);
  }
  const failed = reports.filter((r) => r.failed).length;
  log(failed === 0 ? `all ${reports.length} properties hold (observations are reported, not asserted)` : `${failed} of ${reports.length} properties FAILED`);
  if (values.json) process.stdout.write(`${JSON.stringify({ seed, runs, maxN, properties: reports, observations: observed }, null, 2)}\n`);
  return failed === 0 ? 0 : 1;
}
