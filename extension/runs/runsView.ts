import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import { formatInterval, plateauMarkdown, plateauRows, type PlateauRow } from '../../core/report/plateauTable';
import type { TheoryCheck } from '../panels/reportHtml';
import type { SweepFolder } from '../sweeps/sweepFolders';
import type { SavedRun } from './runStore';

// The side view: the workspace's runs, each with its plateau table (predicted against measured)
// as child rows, its sweep folders (a "Sweeps" group; one opens in the Lab's Sweep view) and the
// last theory check. A tree rather than a webview: it is native (theme,
// keyboard, screen readers), costs nothing to show, and selecting a run opens it in the Lab.

export type RunsNode =
  | { kind: 'theory'; check: TheoryCheck }
  | { kind: 'property'; check: TheoryCheck; index: number }
  | { kind: 'run'; run: SavedRun }
  | { kind: 'plateau'; run: SavedRun; row: PlateauRow }
  | { kind: 'sweeps'; sweeps: SweepFolder[]; skipped: string[] }
  | { kind: 'sweep'; sweep: SweepFolder }
  | { kind: 'note'; text: string };

export interface RunsSource {
  runs(): { runs: SavedRun[]; skipped: string[] };
  /** Sweep output folders; none where the source has no sweeps. */
  sweeps?(): { sweeps: SweepFolder[]; skipped: string[] };
  lastCheck(): TheoryCheck | undefined;
}

export function runDescription(run: SavedRun): string {
  const r = run.result;
  const stop = r.stopped.kind === 'completed' ? '' : ` · ${r.stopped.kind}`;
  return `N=${r.spec.depth} n=${r.spec.n} · ${r.engine.path}/${r.engine.backend}${stop} · ${new Date(run.savedAt).toLocaleString()}`;
}

/** `12/40 runs` (and where it is incomplete, that a rerun finishes it). */
export function sweepDescription(sweep: SweepFolder): string {
  return `${sweep.done}/${sweep.total} runs${sweep.done < sweep.total ? ' · incomplete' : ''}`;
}

export function checkSummary(check: TheoryCheck): string {
  const failed = check.reports.filter((r) => r.failed).length;
  if (check.cancelled) return `cancelled (${check.reports.length - failed}/${check.reports.length} hold)`;
  return failed === 0 ? `${check.reports.length}/${check.reports.length} hold` : `${failed} of ${check.reports.length} FAILED`;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: RunsSource) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: RunsNode): RunsNode[] {
    if (!node) {
      const check = this.source.lastCheck();
      const { runs, skipped } = this.source.runs();
      const top: RunsNode[] = [];
      if (check) top.push({ kind: 'theory', check });
      const { sweeps, skipped: unreadable } = this.source.sweeps?.() ?? { sweeps: [], skipped: [] };
      if (sweeps.length || unreadable.length) top.push({ kind: 'sweeps', sweeps, skipped: unreadable });
      top.push(...runs.map((run) => ({ kind: 'run' as const, run })));
      if (skipped.length) top.push({ kind: 'note', text: `${skipped.length} unreadable file${skipped.length > 1 ? 's' : ''} in the runs folder` });
      return top;
    }
    switch (node.kind) {
      case 'theory':
        return node.check.reports.map((_, index) => ({ kind: 'property', check: node.check, index }));
      case 'sweeps':
        return [
          ...node.sweeps.map((sweep) => ({ kind: 'sweep' as const, sweep })),
          ...(node.skipped.length ? [{ kind: 'note' as const, text: `${node.skipped.length} unreadable summar${node.skipped.length > 1 ? 'ies' : 'y'}: ${node.skipped[0]}` }] : []),
        ];
      case 'run': {
        const rows = plateauRows(node.run.result);
        return rows.length ? rows.map((row) => ({ kind: 'plateau', run: node.run, row })) : [{ kind: 'note', text: `no plateaus (ε = ${node.run.result.spec.epsilon})` }];
      }
      default:
        return [];
    }
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'theory': {
        const item = new vscode.TreeItem('Last theory check', vscode.TreeItemCollapsibleState.Collapsed);
        const failed = node.check.reports.some((r) => r.failed);
        item.description = `${checkSummary(node.check)} · seed ${node.check.seed}`;
        item.iconPath = new vscode.ThemeIcon(failed ? 'error' : 'beaker', new vscode.ThemeColor(failed ? 'testing.iconFailed' : 'testing.iconPassed'));
        item.contextValue = 'dfl.theory';
        item.id = 'theory';
        item.command = { command: COMMANDS.checkTheory, title: 'Show Theory Check', arguments: [{ show: true }] };
        return item;
      }
      case 'property': {
        const r = node.check.reports[node.index];
        const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
        item.description = r.failed ? 'failed' : `${r.passed} passed`;
        item.tooltip = r.counterexample ? `${r.claim}\n\n${r.counterexample.message}` : r.claim;
        item.iconPath = new vscode.ThemeIcon(r.failed ? 'testing-failed-icon' : 'testing-passed-icon', new vscode.ThemeColor(r.failed ? 'testing.iconFailed' : 'testing.iconPassed'));
        if (r.counterexample) item.command = { command: COMMANDS.openCounterexample, title: 'Open Counterexample in the Lab', arguments: [{ property: r.name }] };
        return item;
      }
      case 'run': {
        const item = new vscode.TreeItem(node.run.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${node.run.name}`;
        item.description = runDescription(node.run);
        const tooltip = new vscode.MarkdownString(`**${node.run.label}**\n\n${node.run.result.target.description}\n\n${plateauMarkdown(node.run.result)}`);
        item.tooltip = tooltip;
        item.iconPath = new vscode.ThemeIcon(node.run.result.stopped.kind === 'completed' ? 'graph-line' : 'warning');
        item.contextValue = 'dfl.run';
        item.resourceUri = vscode.Uri.file(node.run.file);
        item.command = { command: COMMANDS.openRun, title: 'Open in the Lab', arguments: [node.run.name] };
        return item;
      }
      case 'sweeps': {
        const item = new vscode.TreeItem('Sweeps', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'sweeps';
        item.description = `${node.sweeps.length}`;
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'sweep': {
        const { sweep } = node;
        const item = new vscode.TreeItem(sweep.label, vscode.TreeItemCollapsibleState.None);
        item.id = `sweep:${sweep.folder}`;
        item.description = sweepDescription(sweep);
        item.tooltip = `${sweep.label}: ${sweep.done} of ${sweep.total} runs in ${sweep.folder}`;
        item.iconPath = new vscode.ThemeIcon(sweep.done < sweep.total ? 'warning' : 'graph-scatter');
        item.contextValue = 'dfl.sweep';
        item.resourceUri = vscode.Uri.file(sweep.folder);
        item.command = { command: COMMANDS.showSweep, title: 'Show Sweep', arguments: [sweep.folder] };
        return item;
      }
      case 'plateau': {
        const { row } = node;
        const item = new vscode.TreeItem(`L = ${row.L}`, vscode.TreeItemCollapsibleState.None);
        const caveat = row.predicted && !row.predicted.hypothesesMet ? '*' : '';
        item.description = `predicted ${formatInterval(row.predicted)}${caveat} · measured ${formatInterval(row.measured)}${row.agrees === undefined ? '' : row.agrees ? ' ✓' : ' ✗'}`;
        item.tooltip = caveat ? "The theorem's hypotheses do not hold for this spec" : undefined;
        item.iconPath = new vscode.ThemeIcon(row.agrees ? 'pass' : row.agrees === false ? 'circle-slash' : 'circle-outline');
        return item;
      }
      case 'note':
        return Object.assign(new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None), { iconPath: new vscode.ThemeIcon('info') });
    }
  }

  getParent(): RunsNode | undefined {
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
