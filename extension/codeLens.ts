import * as vscode from 'vscode';
import { COMMANDS } from './ids';

// "Run" and "Run in the Lab" above the first line of a `*.dfl.json` experiment file.

export const EXPERIMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.dfl.json' },
  { language: 'jsonc', pattern: '**/*.dfl.json' },
];

export class ExperimentCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!document.fileName.endsWith('.dfl.json')) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Run', command: COMMANDS.runExperimentFile, arguments: [document.uri], tooltip: 'Run this experiment in the extension host and open the result in the Lab' }),
      new vscode.CodeLens(top, { title: '$(beaker) Run in the Lab (WebGL)', command: COMMANDS.openExperimentInLab, arguments: [document.uri], tooltip: 'Open the Lab and run this experiment live on WebGL' }),
    ];
  }
}
