import { formatRun, pairPlateaus } from '../core/plateaus/pairing';
import { measureName, measureOf } from '../core/rank/labels';
import type { RunResult } from '../core/result';
import { printable } from './terminal';

/** Right-aligned plain-text table (no dependency: the CLI prints a handful of rows). */
export function table(header: string[], rows: string[][], align: readonly ('left' | 'right')[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // Numbers right-aligned (the default); text left-aligned, the last column not padded at all.
  const cell = (c: string, i: number, last: boolean) => (align[i] !== 'left' ? c.padStart(widths[i]) : last ? c : c.padEnd(widths[i]));
  const line = (cells: string[]) => cells.map((c, i) => cell(c, i, i === cells.length - 1)).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Ranks always listed in the summary; later ones only with a plateau. */
const MAX_PLAIN_ROWS = 6;

const num = (x: number) => (Number.isFinite(x) ? x.toPrecision(4).replace(/\.?0+$/, '') : String(x));

/**
 * The summary after a run: per L, the measure of Ŵ_L, the predicted interval and the measured
 * run paired with it by the one rule of core/plateaus/pairing.ts, with tightness = predicted /
 * measured length (against every step, or against logged steps, as the footer says).
 */
export function summarize(result: RunResult, label = ''): string {
  const { stopped, engine } = result;
  const measure = result.spec.effectiveRank;
  const last = result.loss.length - 1;
  // The matrix path names the libraries that ran it (an unnoticed slow BLAS costs 5-30×).
  const libraries = engine.path === 'matrix' && engine.blas ? `; BLAS ${engine.blas}; SVD ${engine.lapack ?? 'unknown'}` : '';
  const head =
    `${label ? `${printable(label)}: ` : ''}${result.spec.n}×${result.spec.n}, N = ${result.spec.depth}, ${engine.path} path (${engine.backend}, ${engine.precision}${libraries}), ` +
    `${stopped.kind} at step ${stopped.step}${stopped.kind === 'completed' ? '' : ` — ${stopped.reason}`}, ` +
    (last < 0 ? 'no step kept (the first loss was not finite)' : `final loss ${num(result.loss[last])}, ${measureName(measure)} ${num(result.effectiveRank[last])}`);
  const pairs = pairPlateaus(result);
  const rows: string[][] = [];
  let against: string | undefined;
  result.targetEffectiveRanks.forEach((reference, i) => {
    const L = i + 1;
    // A level the rank returns to has a row per certified interval (docs/theory.md §5.5).
    const ofL = pairs.filter((p) => p.L === L);
    // Past the first few ranks, only rows that have something to show.
    if (L > MAX_PLAIN_ROWS && ofL.length === 0) return;
    for (const pair of ofL.length > 0 ? ofL : [undefined]) {
      const pred = pair?.predicted;
      if (pair?.tightness !== undefined) against = pair.against;
      rows.push([
        String(L),
        num(reference),
        pred ? `[${pred.start}, ${pred.end}]${pred.hypothesesMet ? '' : ' (hyp. not met)'}` : '—',
        pred ? num(pred.epsilon) : '—',
        formatRun(pair?.measured),
        String(pair?.runs ?? 0),
        pair?.tightness !== undefined ? pair.tightness.toFixed(2) : '—',
      ]);
    }
  });
  if (rows.length === 0) return head;
  const note = against ? `\ntightness against ${against}${against === 'logged steps' ? ' (log every step for exact run ends)' : ''}` : '';
  return `${head}\n${table(['L', measureOf(measure), 'predicted', 'ε', 'measured', 'runs', 'tightness'], rows)}${note}`;
}
