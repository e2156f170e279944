import { formatRun, pairPlateaus } from '../core/plateaus/pairing';
import { measureName, measureOf, measureSymbol } from '../core/rank/labels';
import type { RunResult } from '../core/result';
import type { EffectiveRankMeasure } from '../core/spec/schema';
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

/** What the summary of a run reads: a result without its per-step spectra and distances. */
export type RunSummaryInput = Pick<RunResult, 'spec' | 'engine' | 'target' | 'stopped' | 'steps' | 'loss' | 'effectiveRank' | 'targetEffectiveRanks' | 'predicted' | 'measured'>;

/** The run's setting in one line: what a reader needs to know which experiment the table is of. */
export function settingLine(result: Pick<RunResult, 'spec' | 'engine' | 'target'>): string {
  const { spec, engine } = result;
  const init = spec.init;
  const problem =
    spec.problem.kind === 'estimation' ? 'estimation' : spec.problem.kind === 'sensing' ? `sensing (m = ${spec.problem.measurements})` : `completion (${spec.problem.observed} observed)`;
  // The matrix path names the libraries that ran it (an unnoticed slow BLAS costs 5-30×).
  const libraries = engine.path === 'matrix' && engine.blas ? `; BLAS ${engine.blas}; SVD ${engine.lapack ?? 'unknown'}` : '';
  return (
    `N = ${spec.depth}, n = ${spec.n}, α = ${num(init.alpha)}, η = ${num(spec.stepSize)}, ${init.kind} init, target ${printable(result.target.description.replace(/, n = \d+$/, ''))}, ${problem}, ` +
    `${measureName(spec.effectiveRank)}, ε = ${spec.epsilon}; ${engine.path} path (${engine.backend}, ${engine.precision}${libraries})`
  );
}

/** What the columns mean, printed under every table (the docs should not be needed to read it). */
export function tableLegend(measure: EffectiveRankMeasure): string[] {
  const r = measureSymbol(measure);
  return [
    `predicted: steps where Theorem 5.10 certifies ${r} within ε of ${measureOf(measure)}, ε its certified deviation; measured: the ε-run paired with it`,
    `("crossing": the rank only passes through, Definition 5.11); runs: measured ε-runs at that level; tightness: predicted / measured length; —: none`,
  ];
}

/** Ranks as runs: "1–6, 15–20", "1, 3". */
function rankList(ranks: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ranks.length; ) {
    let j = i;
    while (j + 1 < ranks.length && ranks[j + 1] === ranks[j] + 1) j++;
    parts.push(j - i >= 2 ? `${ranks[i]}–${ranks[j]}` : ranks.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * The summary after a run: its setting, then per L the measure of Ŵ_L, the predicted interval and
 * the measured run paired with it by the one rule of core/plateaus/pairing.ts, with tightness =
 * predicted / measured length (against every step, or against logged steps, as the footer says);
 * a legend, and for every rank without a prediction the reason the theory gives none.
 */
export function summarize(result: RunSummaryInput, label = ''): string {
  const { stopped } = result;
  const measure = result.spec.effectiveRank;
  const last = result.loss.length - 1;
  const head =
    `${label ? `${printable(label)}: ` : ''}${settingLine(result)}\n` +
    `${stopped.kind} at step ${stopped.step}${stopped.kind === 'completed' ? '' : ` — ${stopped.reason}`}, ` +
    (last < 0 ? 'no step kept (the first loss was not finite)' : `final loss ${num(result.loss[last])}, ${measureSymbol(measure)} ${num(result.effectiveRank[last])}`);
  const pairs = pairPlateaus(result);
  const rows: string[][] = [];
  const shown: number[] = [];
  let against: string | undefined;
  result.targetEffectiveRanks.forEach((reference, i) => {
    const L = i + 1;
    // A level the rank returns to has a row per certified interval (docs/theory.md §5.5).
    const ofL = pairs.filter((p) => p.L === L);
    // Past the first few ranks, only rows that have something to show.
    if (L > MAX_PLAIN_ROWS && ofL.length === 0) return;
    shown.push(L);
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
  const notes: string[] = tableLegend(measure);
  // Missing predictions, grouped by reason: one line says "L = 1–4" when one hypothesis fails for all.
  const missing = (result.predicted.missing ?? []).filter((m) => shown.includes(m.L) && !pairs.some((p) => p.L === m.L && p.predicted));
  const byReason = new Map<string, number[]>();
  for (const m of missing) byReason.set(m.reason, [...(byReason.get(m.reason) ?? []), m.L]);
  for (const [reason, ranks] of byReason) notes.push(`no prediction for L = ${rankList(ranks)}: ${reason}`);
  if (result.predicted.plateaus.some((p) => !p.hypothesesMet) && result.predicted.notMet?.length)
    notes.push(`hyp. not met: the intervals are shown but claim nothing, because ${result.predicted.notMet.join('; ')}`);
  if (against) notes.push(`tightness against ${against}${against === 'logged steps' ? ' (log every step for exact run ends)' : ''}`);
  return `${head}\n${table(['L', measureOf(measure), 'predicted', 'ε', 'measured', 'runs', 'tightness'], rows)}\n${notes.join('\n')}`;
}
