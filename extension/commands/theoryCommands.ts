import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import { COMMANDS } from '../ids';
import type { Labs } from '../panels/labs';
import type { TheoryCheck } from '../panels/reportHtml';
import type { Reports } from '../panels/reports';
import type { RunStatusBar } from '../editor/statusBar';
import type { TheoryCheckStore } from '../theory/checkStore';
import type { TheoryTests } from '../theory/theoryTests';
import type { WorkspaceSources } from '../workspace/workspaceSources';

// Check Theory (the Test Explorer's run of every property, then the report) and opening a
// failed property's counterexample in the Lab.

export interface TheoryCommandServices {
  readonly errors: ErrorReporter;
  readonly output: vscode.LogOutputChannel;
  readonly sources: WorkspaceSources;
  readonly status: RunStatusBar;
  readonly theory: TheoryTests;
  readonly checks: TheoryCheckStore;
  readonly reports: Reports;
  readonly labs: Labs;
}

export function registerTheoryCommands(s: TheoryCommandServices): vscode.Disposable[] {
  return [
    s.errors.command(COMMANDS.checkTheory, (arg?: { show?: boolean }) => {
      const last = s.checks.last();
      return arg?.show && last ? s.reports.showCheck(last) : checkTheory(s);
    }),
    s.errors.command(COMMANDS.openCounterexample, (arg?: unknown) => openCounterexample(s, arg)),
  ];
}

async function checkTheory(s: TheoryCommandServices): Promise<TheoryCheck | undefined> {
  const items = s.theory.ensureItems();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Deep Factorization: checking the theory', cancellable: true }, async (progress, token) => {
    s.status.beginHostRun('$(beaker) Checking the theory');
    try {
      await s.theory.runRequest(new vscode.TestRunRequest(items), token, (done, total, name) => {
        progress.report({ message: `${name} (${done + 1}/${total})`, increment: done === 0 ? 0 : 100 / total });
      });
    } finally {
      s.status.endHostRun();
    }
  });
  const check = s.checks.last();
  if (check) {
    s.reports.showCheck(check);
    const failed = check.reports.filter((r) => r.failed).length;
    s.output.info(`theory check: ${failed === 0 ? 'all hold' : `${failed} failed`} (seed ${check.seed}, ${check.runs} runs)`);
  }
  return check;
}

function openCounterexample(s: TheoryCommandServices, arg: unknown): void {
  const spec = s.theory.counterexample(arg) ?? s.checks.last()?.reports.find((r) => r.name === (arg as { property?: string })?.property)?.counterexample?.spec;
  if (!spec) throw new Error('no counterexample to open (run Check Theory first)');
  s.labs.run({ ...spec, name: spec.name ?? 'counterexample' }, s.sources.defaultBase());
}
