import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import { COMMANDS } from '../ids';
import type { Labs } from '../panels/labs';
import type { TheoryCheck } from '../panels/reportHtml';
import type { Reports } from '../panels/reports';
import type { RunStatusBar } from '../editor/statusBar';
import type { TheoryCheckStore } from '../theory/checkStore';
import { claimSummary } from '../theory/claimMessages';
import { CLAIM_FILE_SUFFIX, isClaimFile } from '../theory/claimItems';
import type { ClaimRun, TheoryTests } from '../theory/theoryTests';
import type { WorkspaceSources } from '../workspace/workspaceSources';

// Check Theory (the Test Explorer's run of every property, then the report), Check Claim (one
// claim file, through the same Test Explorer run), and opening a failed property's or claim's
// counterexample in the Lab (a claim's with its violation marked on the plots).

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
    s.errors.command(COMMANDS.checkClaim, (uri?: vscode.Uri) => checkClaim(s, uri)),
  ];
}

async function checkTheory(s: TheoryCommandServices): Promise<TheoryCheck | undefined> {
  const items = s.theory.ensureItems();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Deep Factorization: checking the theory', cancellable: true }, async (progress, token) => {
    s.status.beginHostRun('$(beaker) Checking the theory');
    try {
      await s.theory.runRequest(new vscode.TestRunRequest(items), token, ({ index, total, name }) => {
        progress.report({ message: `${name} (${index + 1}/${total})`, increment: index === 0 ? 0 : 100 / total });
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

/**
 * Checks one claim file in the Test Explorer's run (claims run in untrusted workspaces too: their
 * expressions are evaluated by a safe expression library, nothing from the workspace runs), then
 * says how it went; a failure offers its counterexample in the Lab.
 */
async function checkClaim(s: TheoryCommandServices, arg?: vscode.Uri): Promise<ClaimRun | undefined> {
  const uri = arg ?? vscode.window.activeTextEditor?.document.uri;
  if (!uri || !isClaimFile(uri)) throw new Error(`Check Claim checks a claim file (*${CLAIM_FILE_SUFFIX}): open one, or use the lens at its top`);
  const item = await s.theory.claimItem(uri);
  let outcome: ClaimRun | undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deep Factorization: checking the claim ${item.label}`, cancellable: true }, async (progress, token) => {
    s.status.beginHostRun(`$(beaker) Checking ${item.label}`);
    let reported = 0;
    try {
      const result = await s.theory.runRequest(new vscode.TestRunRequest([item]), token, ({ cases }) => {
        if (!cases || cases.total <= 0) return;
        const percent = (100 * cases.done) / cases.total;
        progress.report({ message: `case ${cases.done} of ${cases.total}`, increment: percent - reported });
        reported = percent;
      });
      outcome = result.claims[0];
    } finally {
      s.status.endHostRun();
    }
  });
  const report = outcome?.report;
  if (!outcome || outcome.error === 'cancelled') return outcome;
  if (!report) {
    s.output.error(`Check Claim: ${outcome.error}`);
    void vscode.window.showErrorMessage(`Deep Factorization: ${outcome.error}`);
  } else if (report.status === 'holds') {
    void vscode.window.showInformationMessage(`Deep Factorization: the claim ${report.name} holds: ${claimSummary(report)}.`);
  } else {
    const why = report.counterexample?.violation.message ?? report.note ?? claimSummary(report);
    const open = 'Open Counterexample in the Lab';
    const actions = s.theory.hasCounterexample(outcome.id) ? [open] : [];
    void vscode.window.showWarningMessage(`Deep Factorization: the claim ${report.name} fails: ${why}`, ...actions).then((pick) => (pick === open ? vscode.commands.executeCommand(COMMANDS.openCounterexample, { claim: outcome!.id }) : undefined));
  }
  return outcome;
}

function openCounterexample(s: TheoryCommandServices, arg: unknown): void {
  const spec = s.checks.last()?.reports.find((r) => r.name === (arg as { property?: string })?.property)?.counterexample?.spec;
  const found = s.theory.counterexample(arg) ?? (spec ? { spec } : undefined);
  if (!found) throw new Error('no counterexample to open (check the theory or the claim first)');
  const name = found.spec.name ?? found.title ?? 'counterexample';
  // A workspace file the spec names is read under the trust rule of every run (WorkspaceSources).
  s.labs.run({ ...found.spec, name }, found.baseDir ?? s.sources.defaultBase(), { mark: found.mark });
}
