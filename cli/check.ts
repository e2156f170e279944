import { parseArgs } from 'node:util';
import { InputError } from '../core/errors';
import { useNodeBackend } from '../node/platform';
import { formatObservation, formatReport, observations, runObservation, runProperties, theorems } from '../property-tests';

function positiveInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${flag}: expected a non-negative integer, got "${value}"`);
  return n;
}

/**
 * `dfl check`: every theorem of docs/theory.md §6 as a fast-check property, one line each, then the
 * empirical observations with their frequencies. Exit 1 on a failed property.
 */
export async function checkCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      runs: { type: 'string' },
      seed: { type: 'string' },
      property: { type: 'string' },
      'max-n': { type: 'string' },
      observations: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const runs = positiveInteger('--runs', values.runs, 100);
  const seed = positiveInteger('--seed', values.seed, Math.floor(Math.random() * 2 ** 31));
  const maxN = positiveInteger('--max-n', values['max-n'], 200);
  const cases = positiveInteger('--observations', values.observations, 5);
  const selected = values.property === undefined ? theorems : theorems.filter((p) => p.name === values.property);
  const selectedObservations = cases === 0 ? [] : values.property === undefined ? observations : observations.filter((o) => o.name === values.property);
  if (selected.length + selectedObservations.length === 0)
    throw new InputError(`--property: unknown property "${values.property}" (available: ${[...theorems, ...observations].map((p) => p.name).join(', ')})`);
  await useNodeBackend('wasm');
  const log = (line: string) => !values.json && process.stdout.write(`${line}\n`);
  log(`dfl check: ${selected.length} theorem properties × ${runs} runs, seed ${seed}, n ≤ ${maxN}`);
  const reports = await runProperties(selected, { runs, seed, maxN }, (r) => log(formatReport(r)));
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
