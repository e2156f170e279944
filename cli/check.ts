import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import type { ClaimReport } from '../core/claims/claim';
import { DEFAULT_NODE_BACKEND, useNodeBackend, useTfjsBesideNative } from '../node/platform';
import { readTextFile, writeFileAtomic } from '../node/files';
import { effectiveRankMeasures, MAX_MATRIX_N } from '../core/spec/schema';
import { checkClaim, ClaimError, formatReport, parseClaimFile, runProperties, theorems, type Claim } from '../property-tests';
import type { PropertyReport } from '../property-tests/runner';
import { formatClaimReport } from './claimReport';
import { integerFlag } from './flags';
import { CHECK_COMMAND, parseCommand } from './options';
import { printableLine } from './terminal';

/** fast-check seeds are 32-bit: a larger one would silently repeat another seed's runs. */
const MAX_SEED = 2 ** 31 - 1;

/**
 * The paper's empirical statements as claim files (claims/paper/ at the package root, beside dist/
 * where the CLI bundle lives). claims/examples/ is for users to read and is not run by default:
 * one of its claims is false on purpose.
 */
const SHIPPED_CLAIMS_DIR = path.resolve(__dirname, '..', 'claims', 'paper');

/** Every `*.dfl-claim.json` under the shipped claims folder, sorted (empty when it is not there). */
export function shippedClaimFiles(dir = SHIPPED_CLAIMS_DIR): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.dfl-claim.json'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

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

/** Reads and type-checks every claim before any case runs (a bad one: exit 2, one line). */
function readClaims(files: string[]): Claim[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readTextFile(file);
    } catch (error) {
      throw new ClaimError(file, (error as Error).message.replace(`${file}: `, ''));
    }
    return parseClaimFile(text, path.relative(process.cwd(), file) || file);
  });
}

/**
 * `dfl check`: without files, every theorem of docs/theory.md §6 as a fast-check property, one
 * line each, then the shipped claim files; with files, those claims. Exit 1 when one fails, 2
 * on a bad claim (before any case runs).
 */
export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(CHECK_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  // Zero runs would check nothing and still report "all hold": a gate that cannot fail.
  const runs = values.runs === undefined ? undefined : integerFlag('--runs', values.runs, { min: 1, max: 100_000, fallback: 100 });
  const seed = integerFlag('--seed', values.seed, { min: 0, max: MAX_SEED, fallback: Math.floor(Math.random() * MAX_SEED) });
  // Generated specs have n ≥ 2 (theorySpec's minN).
  const maxN = integerFlag('--max-n', values['max-n'], { min: 2, max: MAX_MATRIX_N, fallback: 200 });
  const userClaims = positionals.length > 0;
  if (userClaims && values.property !== undefined) throw new InputError('dfl check: --property selects among the theory and the shipped claims; give claim files or --property, not both');
  let claims: Claim[];
  try {
    claims = readClaims(userClaims ? positionals : shippedClaimFiles());
  } catch (error) {
    if (error instanceof ClaimError) {
      process.stderr.write(`dfl: ${printableLine(error.message.split('\n')[0])}\n`);
      return 2;
    }
    throw error;
  }
  const selected = userClaims ? [] : values.property === undefined ? theorems : theorems.filter((p) => p.name === values.property);
  if (values.property !== undefined) claims = claims.filter((c) => c.name === values.property);
  if (selected.length + claims.length === 0)
    throw new InputError(`--property: unknown property "${values.property}" (available: ${[...theorems.map((p) => p.name), ...readClaims(shippedClaimFiles()).map((c) => c.name)].join(', ')})`);
  const accelerators = await useNodeBackend(DEFAULT_NODE_BACKEND);
  // The float32 properties run the matrix path on tfjs (no accelerators), whatever the backend.
  if (selected.length > 0 && DEFAULT_NODE_BACKEND === 'native') await useTfjsBesideNative();
  const log = (line: string) => !values.json && process.stdout.write(`${line}\n`);
  const reports: PropertyReport[] = [];
  if (selected.length > 0) {
    log(`dfl check: ${selected.length} theorem properties × ${runs ?? 100} runs, seed ${seed}, n ≤ ${maxN}`);
    reports.push(...(await runProperties(selected, { runs: runs ?? 100, seed, maxN }, (r) => log(formatReport(r)))));
    for (const line of predictionFigures(reports)) log(line);
  }
  if (claims.length > 0) log(`dfl check: ${claims.length} claim${claims.length > 1 ? 's' : ''}, seed ${seed}${runs ? `, ${runs} cases each` : ''}`);
  const claimReports: ClaimReport[] = [];
  for (const claim of claims) {
    const report = await checkClaim(claim, { runs, seed, accelerators });
    // A holding observation still names its first case that does not hold, but writes no file.
    if (report.counterexample && report.status === 'fails') {
      const dir = values['counterexample-dir'] ?? (userClaims ? path.dirname(claim.file) : '.');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${claim.name}.counterexample.dfl.json`);
      const spec = { name: `${claim.name} counterexample`, description: `${claim.statement} — ${report.counterexample.violation.message}`, ...report.counterexample.spec };
      writeFileAtomic(file, `${JSON.stringify(spec, null, 2)}\n`);
      report.counterexample.path = file;
      // A claim that compares runs: each variant's run of the same case beside it.
      for (const [variant, variantSpec] of Object.entries(report.counterexample.variants ?? {}))
        writeFileAtomic(path.join(dir, `${claim.name}.counterexample.${variant}.dfl.json`), `${JSON.stringify({ name: `${claim.name} counterexample, variant ${variant}`, ...variantSpec }, null, 2)}\n`);
    }
    log(formatClaimReport(report));
    claimReports.push(report);
  }
  const failedProperties = reports.filter((r) => r.failed).length;
  const failedClaims = claimReports.filter((r) => r.status === 'fails').length;
  const total = reports.length + claimReports.length;
  const failed = failedProperties + failedClaims;
  log(failed === 0 ? `all ${total} hold (${reports.length} properties, ${claimReports.length} claims)` : `${failed} of ${total} FAILED (${failedProperties} properties, ${failedClaims} claims)`);
  if (values.json) process.stdout.write(`${JSON.stringify({ seed, runs: runs ?? null, maxN, properties: reports, claims: claimReports }, null, 2)}\n`);
  return failed === 0 ? 0 : 1;
}
