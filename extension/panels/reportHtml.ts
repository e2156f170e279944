import type { PropertyReport } from '../../property-tests/runner';
import type { RunResult } from '../../core/result';
import { compareGrid, compareRuns, compareTitle } from '../../core/figures/compare';
import { PAPER_THEME, svgElement } from '../../core/figures/svg';
import { escapeHtml } from '../../core/text';
import { COMMANDS } from '../ids';
import { formatInterval, plateauRows } from '../../core/report/plateauTable';

// The static report pages (theory check, comparisons of runs): no scripts at all; links are
// `command:` URIs limited (enableCommandUris) to the two commands that open runs and
// counterexamples, whose arguments are names the host looks up itself. Pure.

const esc = escapeHtml;

export function commandHref(command: string, args: unknown[]): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export interface TheoryCheck {
  seed: number;
  runs: number;
  maxN: number;
  finishedAt: number;
  cancelled: boolean;
  reports: PropertyReport[];
  /** Properties not run (cancelled before them). */
  skipped: string[];
}

function page(title: string, cspSource: string, nonce: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${esc(title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 20px 20px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
th { font-weight: 600; }
.ok { color: var(--vscode-testing-iconPassed, #3fb950); }
.fail { color: var(--vscode-testing-iconFailed, #f85149); }
.muted { color: var(--vscode-descriptionForeground); }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px; overflow-x: auto; max-width: 100ch; white-space: pre-wrap; }
a { color: var(--vscode-textLink-foreground); }
.compare-figure { margin: 8px 0 16px; padding: 8px; background: #ffffff; border-radius: 4px; max-width: 1020px; }
.compare-figure svg { display: block; max-width: 100%; height: auto; }
</style></head><body data-report="${esc(title)}">${body}</body></html>`;
}

export function theoryReportHtml(check: TheoryCheck, cspSource: string, nonce: string): string {
  const failed = check.reports.filter((r) => r.failed).length;
  const verdict = check.cancelled
    ? `Cancelled: ${check.reports.length - failed} of ${check.reports.length} properties run hold${failed ? `, ${failed} failed` : ''}`
    : failed === 0
      ? `All ${check.reports.length} properties hold`
      : `${failed} of ${check.reports.length} properties FAILED`;
  const rows = check.reports
    .map((r) => {
      const cx = r.counterexample
        ? `<div class="fail">${esc(r.counterexample.message)}</div><div class="muted">shrunk counterexample (${r.counterexample.shrinks} shrinks): <a href="${commandHref(COMMANDS.openCounterexample, [{ property: r.name }])}">Open in the Lab</a></div><pre>${esc(JSON.stringify(r.counterexample.spec))}</pre>`
        : '';
      return `<tr data-property="${esc(r.name)}" data-status="${r.failed ? 'failed' : 'passed'}"><td class="${r.failed ? 'fail' : 'ok'}">${r.failed ? '✗' : '✓'}</td><td><strong>${esc(r.name)}</strong><div class="muted">${esc(r.claim)}</div>${cx}</td><td>${r.passed}</td><td>${r.hypothesisNotMet}</td><td>${r.seconds.toFixed(1)} s</td></tr>`;
    })
    .join('\n');
  const skipped = check.skipped.length ? `<p class="muted">Not run: ${check.skipped.map(esc).join(', ')}</p>` : '';
  const body = `<h1>Theory check</h1>
<p id="verdict" class="${failed ? 'fail' : 'ok'}">${esc(verdict)}</p>
<p class="muted">${check.runs} runs per property, seed ${check.seed}, n ≤ ${check.maxN}, ${esc(new Date(check.finishedAt).toLocaleString())}. Replay from a terminal with <code>dfl check --runs ${check.runs} --seed ${check.seed} --max-n ${check.maxN}</code>.</p>
<table><thead><tr><th></th><th>property</th><th>passed</th><th>hypothesis not met</th><th>time</th></tr></thead><tbody>
${rows}
</tbody></table>${skipped}`;
  return page('Theory check', cspSource, nonce, body);
}

export interface ComparedRun {
  /** The run's file name in the store (the link's argument). */
  name: string;
  result: RunResult;
}

/**
 * The runs overlaid in one figure (core/figures/compare.ts: effective rank and singular values,
 * the field that varies named in the legend, seeds as bands), or a line that says why not.
 */
function comparisonFigure(runs: ComparedRun[]): string {
  if (runs.length < 2) return '';
  try {
    const comparison = compareRuns(runs.map((r) => ({ label: r.name, result: r.result })), 'this comparison');
    // Presentation attributes only (no style attribute, no script): allowed by the page's CSP.
    return `<figure class="compare-figure" data-compared="${esc(comparison.fields.join(','))}">${svgElement(compareGrid(comparison, PAPER_THEME), { role: 'img', 'aria-label': compareTitle(comparison) })}</figure>`;
  } catch (error) {
    return `<p class="muted">No overlay: ${esc((error as Error).message)}.</p>`;
  }
}

export function comparisonHtml(title: string, runs: ComparedRun[], cspSource: string, nonce: string): string {
  const sections = runs
    .map(({ name, result }) => {
      const rows = plateauRows(result)
        .map((r) => `<tr><td>${r.L}</td><td>${formatInterval(r.predicted)}${r.predicted && !r.predicted.hypothesesMet ? ' *' : ''}</td><td>${formatInterval(r.measured)}</td><td class="${r.agrees ? 'ok' : r.agrees === false ? 'fail' : ''}">${r.agrees === undefined ? '' : r.agrees ? '✓' : '✗'}</td></tr>`)
        .join('');
      const last = result.effectiveRank.length - 1;
      return `<section data-run="${esc(name)}"><h2>N = ${result.spec.depth} <span class="muted">(${esc(result.spec.name ?? result.target.description)})</span></h2>
<p class="muted">α = ${result.spec.init.alpha.toPrecision(3)}, η = ${result.spec.stepSize}, ${result.spec.steps} steps, ${result.engine.path}/${esc(result.engine.backend)}, ${esc(result.stopped.kind)}; final effective rank ${last >= 0 ? result.effectiveRank[last].toFixed(3) : '–'}, loss ${last >= 0 ? result.loss[last].toExponential(2) : '–'}.
<a href="${commandHref(COMMANDS.openRun, [name])}">Open in the Lab</a></p>
<table><thead><tr><th>L</th><th>predicted</th><th>measured</th><th></th></tr></thead><tbody>${rows || '<tr><td colspan="4" class="muted">no plateaus</td></tr>'}</tbody></table></section>`;
    })
    .join('\n');
  return page(title, cspSource, nonce, `<h1>${esc(title)}</h1>\n${comparisonFigure(runs)}\n${sections}\n<p class="muted">* the theorem's hypotheses do not hold for this spec</p>`);
}
