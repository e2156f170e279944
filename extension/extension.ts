import * as vscode from 'vscode';
import { CLAIM_SELECTOR, ClaimCodeLensProvider, EXPERIMENT_SELECTOR, ExperimentCodeLensProvider, SWEEP_SELECTOR, SweepCodeLensProvider } from './editor/codeLens';
import { registerHistoryCommands } from './commands/historyCommands';
import { registerRunCommands } from './commands/runCommands';
import { registerSweepCommands } from './commands/sweepCommands';
import { registerTheoryCommands } from './commands/theoryCommands';
import { ComputeService } from './compute/computeService';
import { ErrorReporter } from './errors';
import { LAB_VIEW_TYPE, REPORT_VIEW_TYPE } from './ids';
import type { LabServices } from './panels/labPanel';
import { Labs } from './panels/labs';
import { PanelMemory } from './panels/panelMemory';
import { Reports } from './panels/reports';
import { RunHistory } from './runs/runHistory';
import { RunService } from './runs/runService';
import { RunStatusBar } from './editor/statusBar';
import { sweepOutputFolder } from './sweeps/sweepFolders';
import { TheoryCheckStore } from './theory/checkStore';
import { TheoryTests } from './theory/theoryTests';
import { WorkspaceSources } from './workspace/workspaceSources';

// Entry point of dist/extension.js: builds the services and registers them (docs/architecture.md).
// Activation (package.json `activationEvents`): the commands, the side view, the Lab and report
// panels' serializers and workspaces with `*.dfl.json`, `*.dfl-sweep.json` or `*.dfl-claim.json`
// files. Nothing heavy loads here: the compute bundle (tfjs, the engine, the harness, the claim
// engine) is required on the first run or check.

export function activate(context: vscode.ExtensionContext) {
  const output = vscode.window.createOutputChannel('Deep Factorization Lab', { log: true });
  const errors = new ErrorReporter(output);
  const distFolder = vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath;
  const compute = new ComputeService(distFolder, output);
  const sources = new WorkspaceSources(distFolder, () => compute.get());
  const checks = new TheoryCheckStore(context.workspaceState);
  const status = new RunStatusBar();
  const history = new RunHistory(context.globalStorageUri, () => sources.settings().runsFolder, () => checks.last(), output);
  const runs = new RunService(compute, sources, history, status, output);
  const memory = new PanelMemory(context.workspaceState);
  const labServices: LabServices = { extensionUri: context.extensionUri, output, errors, history, sources, status, memory, shuttingDown: () => runs.shuttingDown };
  const labs = new Labs(labServices);
  const theory = new TheoryTests(
    { list: () => compute.get().listTheorems(), check: async (name, settings) => (await compute.ready(sources.settings().backend)).checkTheorem(name, settings), settings: () => sources.propertySettings() },
    { check: async (text, file, options) => (await compute.ready(sources.settings().backend)).checkClaimFile(text, file, options) },
    (result) => {
      checks.record(result);
      history.refresh();
    },
    (line) => output.info(line),
  );
  const reports = new Reports(context.workspaceState, history, checks, (r) => theory.rememberCounterexamples(r));
  const lenses = new ExperimentCodeLensProvider(() => vscode.workspace.isTrusted);
  const claimLenses = new ClaimCodeLensProvider((claim) => theory.hasCounterexample(claim));
  const sweepLenses = new SweepCodeLensProvider(() => vscode.workspace.isTrusted, (file) => sweepOutputFolder(history.sweepsFolder, file));

  // Disposed last to first: the output outlives everything that logs to it, and host runs stop
  // (`runs` first) before the panels close, so panels closed by the shutdown are restored.
  const disposables: vscode.Disposable[] = [
    output,
    status,
    history,
    theory,
    lenses,
    sweepLenses,
    claimLenses,
    theory.onDidChangeCounterexamples(() => claimLenses.refresh()),
    ...registerRunCommands({ errors, output, sources, compute, labs, runs, reports }),
    ...registerHistoryCommands({ errors, output, sources, history, labs }),
    ...registerTheoryCommands({ errors, output, sources, status, theory, checks, reports, labs }),
    ...registerSweepCommands({ errors, output, sources, history, labs, lenses: sweepLenses }),
    vscode.window.registerWebviewPanelSerializer(LAB_VIEW_TYPE, labs.serializer()),
    vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, reports.serializer()),
    vscode.languages.registerCodeLensProvider(EXPERIMENT_SELECTOR, lenses),
    vscode.languages.registerCodeLensProvider(SWEEP_SELECTOR, sweepLenses),
    vscode.languages.registerCodeLensProvider(CLAIM_SELECTOR, claimLenses),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('the workspace is trusted now: its experiment files can run');
      lenses.refresh();
      sweepLenses.refresh();
    }),
    reports,
    labs,
    runs,
  ];
  context.subscriptions.push({ dispose: () => void disposeAll(disposables) });
  output.info(`activated; runs are saved in ${history.folder}${vscode.workspace.isTrusted ? '' : '; untrusted workspace: its experiment and matrix files are not run'}`);
  // Test hook: where runs go, and the latest check.
  return { runsFolder: () => history.folder, lastCheck: () => checks.last(), runs: () => history.names() };
}

function disposeAll(disposables: vscode.Disposable[]): void {
  while (disposables.length) disposables.pop()?.dispose();
}

export function deactivate(): void {}
