import { formatRun, pairPlateaus } from '../../core/plateaus/pairing';
import { measureOf } from '../../core/rank/labels';
import type { RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import { formatNumber } from '../plots/charts';

// The run's title line, its one-line summary and the plateau table: measured ε-plateaus per L
// against the theory's predicted intervals.

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Rows shown; the rest are counted (the JSON export has them all). */
const MAX_ROWS = 6;

export function setRunTitle(spec: ExperimentSpec, description: string): void {
  const init =
    spec.init.kind === 'identity'
      ? `W_j(0) = ${formatNumber(spec.init.alpha)}·I`
      : spec.init.kind === 'aligned'
        ? `W_j(0) = ${formatNumber(spec.init.alpha)}·R_jR_{j−1}ᵀ aligned with Ŵ's SVD`
        : `${spec.init.kind} init, α = ${formatNumber(spec.init.alpha)}`;
  const problem = spec.problem.kind === 'estimation' ? '' : ` · ${spec.problem.kind}`;
  $('run-title').textContent = `Depth N = ${spec.depth} · ${init} · η = ${spec.stepSize} · target: ${description}${problem}`;
}

/** Empties the summary and hides the table (a new run starts). */
export function clearSummary(): void {
  $('summary').textContent = '';
  $('plateau-table').hidden = true;
}

export function setSummary(result: RunResult, colorOfRank: (L: number) => string): void {
  const stop = result.stopped.kind === 'completed' ? `${result.stopped.step} steps` : `${result.stopped.kind} at step ${result.stopped.step}`;
  const hypotheses = result.predicted.plateaus.length === 0 ? '' : result.predicted.plateaus.every((p) => p.hypothesesMet) ? ' · hypotheses of the theorem met' : ' · hypotheses not met for some L';
  const engine = result.engine.backend === result.engine.precision ? result.engine.precision : `${result.engine.backend}, ${result.engine.precision}`;
  $('summary').textContent = `${stop} in ${result.elapsedSeconds.toFixed(1)} s · ${result.engine.path} path (${engine})${hypotheses}`;
  $('path-pill').textContent = `${result.engine.path} · ${result.engine.precision}`;
  renderPlateauTable($<HTMLTableElement>('plateau-table'), result, colorOfRank);
}

function renderPlateauTable(table: HTMLTableElement, result: RunResult, colorOfRank: (L: number) => string): void {
  // One pairing rule for every view (core/plateaus/pairing.ts); a level the rank returns to has a
  // row per certified interval.
  const pairs = pairPlateaus(result);
  table.hidden = pairs.length === 0;
  const cell = (text: string, cls?: string) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  };
  const head = document.createElement('tr');
  for (const h of ['L', `measured (ε = ${result.spec.epsilon})`, 'predicted', measureOf(result.spec.effectiveRank), 'tightness']) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const rows = pairs.slice(0, MAX_ROWS).map((pair) => {
    const L = pair.L;
    const tr = document.createElement('tr');
    const first = document.createElement('td');
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.style.setProperty('--key-color', colorOfRank(L));
    first.append(chip, document.createTextNode(String(L)));
    const tight = pair.tightness === undefined ? '–' : `${pair.tightness.toFixed(2)}${pair.against === 'logged steps' ? ' (logged steps)' : ''}`;
    tr.append(first, cell(formatRun(pair.measured), pair.measured ? undefined : 'none'), cell(formatRun(pair.predicted), pair.predicted ? undefined : 'none'), cell(formatNumber(result.targetEffectiveRanks[L - 1] ?? NaN, 4)), cell(tight));
    return tr;
  });
  if (pairs.length > MAX_ROWS) {
    const more = document.createElement('tr');
    const td = cell(`+ ${pairs.length - MAX_ROWS} more (L = ${pairs[MAX_ROWS].L}…${pairs[pairs.length - 1].L}) in the JSON export`, 'none');
    td.colSpan = 5;
    more.append(td);
    rows.push(more);
  }
  table.replaceChildren(head, ...rows);
}
