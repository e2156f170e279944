import type * as vscode from 'vscode';
import type { PropertyReport } from '../../property-tests/runner';
import type { RunHistory } from '../runs/runHistory';
import type { SavedRun } from '../runs/runStore';
import type { TheoryCheckStore } from '../theory/checkStore';
import { comparisonHtml, theoryReportHtml, type TheoryCheck } from './reportHtml';
import { ReportPanel, type ReportRenderer } from './reportPanel';

// The script-less report panels: the theory check and depth comparisons, re-rendered after a
// reload from what the workspace state remembers.

const COMPARISONS_KEY = 'dfl.comparisons';
const THEORY_TITLE = 'Theory Check';

export class Reports {
  constructor(
    private readonly state: vscode.Memento,
    private readonly history: RunHistory,
    private readonly checks: TheoryCheckStore,
    /** Lets the theory report's counterexample links find their specs. */
    private readonly rememberCounterexamples: (reports: PropertyReport[]) => void,
  ) {}

  showCheck(check: TheoryCheck): void {
    this.rememberCounterexamples(check.reports);
    ReportPanel.createOrShow('theory', THEORY_TITLE, (csp, nonce) => theoryReportHtml(check, csp, nonce));
  }

  showComparison(title: string, runs: SavedRun[]): void {
    const names = runs.map((r) => r.name);
    const comparisons = { ...(this.state.get<Record<string, string[]>>(COMPARISONS_KEY) ?? {}), [title]: names };
    void this.state.update(COMPARISONS_KEY, comparisons);
    ReportPanel.createOrShow(`compare:${title}`, title, this.comparison(title, names));
  }

  private comparison(title: string, names: string[]): ReportRenderer {
    return (csp, nonce) => {
      const runs = names.flatMap((name) => {
        try {
          return [{ name, result: this.history.read(name).result }];
        } catch {
          return [];
        }
      });
      return comparisonHtml(title, runs, csp, nonce);
    };
  }

  serializer(): vscode.WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: (panel) => {
        this.revive(panel);
        return Promise.resolve();
      },
    };
  }

  private revive(panel: vscode.WebviewPanel): void {
    if (panel.title === THEORY_TITLE) {
      const check = this.checks.last();
      if (check) this.rememberCounterexamples(check.reports);
      ReportPanel.revive(panel, 'theory', check ? (csp, nonce) => theoryReportHtml(check, csp, nonce) : undefined);
      return;
    }
    const names = this.state.get<Record<string, string[]>>(COMPARISONS_KEY)?.[panel.title];
    ReportPanel.revive(panel, `compare:${panel.title}`, names ? this.comparison(panel.title, names) : undefined);
  }

  dispose(): void {
    ReportPanel.disposeAll();
  }
}
