import fc from 'fast-check';
import type { ExperimentSpec } from '../core/spec/schema';
import { coreTheory, type Theory, type TheoryProperty, type Verdict } from './properties/types';

interface Statistic {
  count: number;
  mean: number;
  min: number;
  max: number;
  sum: number;
}

/** What one property did over its generated cases (fast-check's RunDetails, summarized). */
export interface PropertyReport {
  name: string;
  claim: string;
  passed: number;
  failed: number;
  hypothesisNotMet: number;
  seconds: number;
  statistics: Record<string, Statistic>;
  /** The shrunk failing case, a spec `dfl run` replays, and what failed on it. */
  counterexample?: { spec: ExperimentSpec; message: string; shrinks: number };
}

export interface RunSettings {
  runs: number;
  seed: number;
  /** Largest n generated (the theorems hold for all n; CI uses a smaller cap for time). */
  maxN?: number;
  theory?: Theory;
}

/** Runs one property with fast-check (`fc.check`, so the report is ours to format). */
export async function runProperty(property: TheoryProperty, settings: RunSettings): Promise<PropertyReport> {
  const started = performance.now();
  const counts: Record<Verdict, number> = { passed: 0, 'hypothesis-not-met': 0 };
  const statistics: Record<string, Statistic> = {};
  // fast-check re-runs the predicate while shrinking; only the generated runs are counted.
  let counting = true;
  const record = (name: string, value: number) => {
    if (!counting) return;
    const s = (statistics[name] ??= { count: 0, mean: 0, min: Infinity, max: -Infinity, sum: 0 });
    s.count++;
    s.sum += value;
    s.mean = s.sum / s.count;
    s.min = Math.min(s.min, value);
    s.max = Math.max(s.max, value);
  };
  const theory = settings.theory ?? coreTheory;
  const details = await fc.check(
    fc.asyncProperty(property.arbitrary({ maxN: settings.maxN }), async (spec) => {
      try {
        const verdict = await property.check(spec, { theory, record });
        if (counting) counts[verdict]++;
      } catch (error) {
        counting = false;
        throw error;
      }
    }),
    { numRuns: settings.runs, seed: settings.seed, endOnFailure: false },
  );
  const report: PropertyReport = {
    name: property.name,
    claim: property.claim,
    passed: counts.passed,
    failed: details.failed ? 1 : 0,
    hypothesisNotMet: counts['hypothesis-not-met'],
    seconds: (performance.now() - started) / 1000,
    statistics,
  };
  if (details.failed && details.counterexample) {
    const error = details.errorInstance as Error | undefined;
    report.counterexample = { spec: details.counterexample[0], message: error?.message ?? String(details.errorInstance), shrinks: details.numShrinks };
  }
  return report;
}

export async function runProperties(properties: TheoryProperty[], settings: RunSettings, onReport?: (report: PropertyReport) => void): Promise<PropertyReport[]> {
  const reports: PropertyReport[] = [];
  for (const property of properties) {
    const report = await runProperty(property, settings);
    onReport?.(report);
    reports.push(report);
  }
  return reports;
}

/** One line per property: counts, time and the statistics it recorded. */
export function formatReport(report: PropertyReport): string {
  const status = report.failed ? 'FAILED' : 'ok';
  const stats = Object.entries(report.statistics)
    .map(([name, s]) => `${name} mean ${s.mean.toPrecision(3)} (min ${s.min.toPrecision(3)}, n ${s.count})`)
    .join('; ');
  let line = `${status.padEnd(6)} ${report.name.padEnd(26)} passed ${String(report.passed).padStart(4)}  failed ${report.failed}  hypothesis-not-met ${String(report.hypothesisNotMet).padStart(3)}  ${report.seconds.toFixed(1)} s${stats ? `  [${stats}]` : ''}`;
  if (report.counterexample) {
    line += `\n       ${report.counterexample.message}\n       shrunk counterexample (${report.counterexample.shrinks} shrinks), replay with dfl run:\n       ${JSON.stringify(report.counterexample.spec)}`;
  }
  return line;
}
