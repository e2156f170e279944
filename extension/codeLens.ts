import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import { MANAGE_TRUST_COMMAND } from './trust';

// "Run" and "Run in the Lab" above the first line of a `*.dfl.json` experiment file; in an
// untrusted workspace one lens that says why not and opens the trust editor instead.

export const EXPERIMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.dfl.json' },
  { language: 'jsonc', pattern: '**/*.dfl.json' },
];

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly isTrusted: () => boolean) {}

  /** Trust was granted: the lenses become Run lenses. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!document.fileName.endsWith('.dfl.json')) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (!this.isTrusted())
      return [new vscode.CodeLens(top, { title: '$(workspace-untrusted) Running needs a trusted workspace', command: MANAGE_TRUST_COMMAND, tooltip: 'Experiment files of an untrusted workspace are validated, not run. Manage Workspace Trust…' })];
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: COMMANDS.runExperimentFile, arguments: [document.uri], tooltip: 'Run this experiment in the extension host and open the result in the Lab' }),
      new vscode.CodeLens(top, { title: '$(beaker) Run in the Lab (WebGL)', command: COMMANDS.openExperimentInLab, arguments: [document.uri], tooltip: 'Open the Lab and run this experiment live on WebGL' }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
