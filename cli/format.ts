import type { RunResult } from '../core/result';
import { printable } from './terminal';

/** Right-aligned plain-text table (no dependency: the CLI prints a handful of rows). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Ranks always listed in the summary; later ones only with a plateau. */
const MAX_PLAIN_ROWS = 6;

const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(4).replace(/\.?0+$/, '') : String(x));

/**
 * The summary after a run: per L, erank(Ŵ_L), the predicted interval and the measured
 * plateau that contains it (or the longest one), with tightness = predicted / measured length.
 */
export function summarize(result: RunResult, label = ''): string {
  const { stopped, engine, targetEffectiveRanks: references, measured, predicted } = result;
  const last = result.loss.length - 1;
  // The matrix path names the libraries that ran it (an unnoticed slow BLAS costs 5-30×).
  const libraries = engine.path === 'matrix' && engine.blas ? `; BLAS ${engine.blas}; SVD ${engine.lapack ?? 'unknown'}` : '';
  const head =
    `${label ? `${printable(label)}: ` : ''}${result.spec.n}×${result.spec.n}, N = ${result.spec.depth}, ${engine.path} path (${engine.backend}, ${engine.precision}${libraries}), ` +
    `${stopped.kind} at step ${stopped.step}${stopped.kind === 'completed' ? '' : ` — ${stopped.reason}`}, ` +
    (last < 0 ? 'no step kept (the first loss was not finite)' : `final loss ${num(result.loss[last])}, erank ${num(result.effectiveRank[last])}`);
  const rows: string[][] = [];
  references.forEach((reference, i) => {
    const L = i + 1;
    const pred = predicted.plateaus.find((p) => p.L === L);
    const runs = measured.plateaus.filter((p) => p.L === L);
    // Past the first few ranks, only rows that have something to show.
    if (L > MAX_PLAIN_ROWS && !pred && runs.length === 0) return;
    const containing = pred && runs.find((m) => m.start <= pred.start && pred.end <= m.end);
    const best = containing ?? runs.reduce<(typeof runs)[number] | undefined>((a, b) => (!a || b.end - b.start > a.end - a.start ? b : a), undefined);
    const tight = pred && best ? (pred.end - pred.start + 1) / (best.end - best.start + 1) : undefined;
    rows.push([
      String(L),
      num(reference),
      pred ? `[${pred.start}, ${pred.end}]${pred.hypothesesMet ? '' : ' (hyp. not met)'}` : '—',
      pred ? num(pred.epsilon) : '—',
      best ? `[${best.start}, ${best.end}]` : '—',
      String(runs.length),
      tight !== undefined ? tight.toFixed(2) : '—',
    ]);
  });
  if (rows.length === 0) return head;
  return `${head}\n${table(['L', 'erank(Ŵ_L)', 'predicted', 'ε', 'measured', 'runs', 'tightness'], rows)}`;
}
