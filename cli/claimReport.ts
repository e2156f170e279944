import type { ClaimReport } from '../core/claims/claim';

const percent = (x: number) => `${(100 * x).toFixed(0)} %`;

/** A claim's result as `dfl check` prints it: the verdict and counts, the statement, and what failed where. */
export function formatClaimReport(report: ClaimReport): string {
  const verdict = report.status === 'holds' ? 'holds' : 'FAILS';
  const lines: string[] = [];
  if (report.kind === 'observation') {
    const interval = report.interval ? `95 % interval ${percent(report.interval.low)}–${percent(report.interval.high)}` : '';
    lines.push(`${verdict.padEnd(6)} observation ${report.name}: ${report.holding} of ${report.applicable} cases (${interval}), required ${percent(report.required ?? 1)}  ${report.seconds.toFixed(1)} s`);
  } else {
    const skipped = report.cases - report.applicable;
    lines.push(`${verdict.padEnd(6)} theorem ${report.name}: ${report.holding} of ${report.applicable} cases${skipped ? ` (${skipped} more outside "given")` : ''}  ${report.seconds.toFixed(1)} s`);
  }
  lines.push(`       ${report.statement}`);
  if (report.note) lines.push(`       ${report.note}`);
  const c = report.counterexample;
  if (c) {
    const s = c.spec;
    const eigen = s.target.kind === 'spectrum' ? `, eigenvalues [${s.target.eigenvalues.map((v) => +v.toPrecision(4)).join(', ')}]` : '';
    const what = report.kind === 'theorem' ? `counterexample (shrunk ${c.shrinks} times)` : 'first case where it does not hold';
    lines.push(`       ${what}: n = ${s.n}, depth ${s.depth}, α = ${+s.init.alpha.toPrecision(4)}, η = ${+s.stepSize.toPrecision(4)}, ${s.steps} steps${eigen}`);
    lines.push(`       ${c.violation.message}`);
    if (c.path) lines.push(`       replay: dfl run ${c.path}`);
  }
  return lines.join('\n');
}
