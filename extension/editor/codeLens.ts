import * as vscode from 'vscode';
import { COMMANDS } from '../ids';
import { hasSummary, SWEEP_FILE_SUFFIX } from '../sweeps/sweepFolders';
import { CLAIM_FILE_SUFFIX, claimItemId } from '../theory/claimItems';
import { MANAGE_TRUST_COMMAND } from '../workspace/trust';

// Lenses above the first line of the files the extension runs: "Run" and "Run in the Lab" on a
// `*.dfl.json` experiment file, "Run Sweep" (and "Show Sweep" once it has a summary) on a
// `*.dfl-sweep.json` sweep file, "Check Claim" (and "Open Counterexample" after a failure) on a
// `*.dfl-claim.json` claim file. In an untrusted workspace the run lenses of experiment and
// sweep files become one lens that says why not and opens the trust editor; lenses that only
// show results stay, and so does Check Claim (claims run anywhere, extension/workspace/trust.ts).

const selector = (suffix: string): vscode.DocumentSelector => [
  { language: 'json', pattern: `**/*${suffix}` },
  { language: 'jsonc', pattern: `**/*${suffix}` },
];

export const EXPERIMENT_SELECTOR = selector('.dfl.json');
export const SWEEP_SELECTOR = selector(SWEEP_FILE_SUFFIX);
export const CLAIM_SELECTOR = selector(CLAIM_FILE_SUFFIX);

type Document = Pick<vscode.TextDocument, 'fileName' | 'uri'>;

/** The lenses of one kind of file (by its name's ending); trust is asked on every call. */
abstract class FileCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly suffix: string,
    private readonly isTrusted: () => boolean,
    /** "Experiment files", "Sweep files": the subject of the untrusted lens's tooltip. */
    private readonly files: string,
  ) {}

  /** Trust was granted, or what the lenses show changed. */
  refresh(): void {
    this.changed.fire();
  }

  /** Lenses that run the file (they need trust). */
  protected abstract runLenses(document: Document): vscode.Command[];

  /** Lenses that show what the file produced (always there). */
  protected viewLenses(_document: Document): vscode.Command[] {
    return [];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!document.fileName.endsWith(this.suffix)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const run = this.isTrusted()
      ? this.runLenses(document)
      : [{ title: '$(workspace-untrusted) Running needs a trusted workspace', command: MANAGE_TRUST_COMMAND, tooltip: `${this.files} of an untrusted workspace are validated, not run. Manage Workspace Trust…` }];
    return [...run, ...this.viewLenses(document)].map((command) => new vscode.CodeLens(top, command));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export class ExperimentCodeLensProvider extends FileCodeLensProvider {
  constructor(isTrusted: () => boolean) {
    super('.dfl.json', isTrusted, 'Experiment files');
  }

  protected runLenses(document: Document): vscode.Command[] {
    return [
      { title: '$(play) Run', command: COMMANDS.runExperimentFile, arguments: [document.uri], tooltip: 'Run this experiment in the extension host and open the result in the Lab' },
      { title: '$(beaker) Run in the Lab (WebGL)', command: COMMANDS.openExperimentInLab, arguments: [document.uri], tooltip: 'Open the Lab and run this experiment live on WebGL' },
    ];
  }
}

export class SweepCodeLensProvider extends FileCodeLensProvider {
  constructor(
    isTrusted: () => boolean,
    /** Where Run Sweep writes this sweep file's runs. */
    private readonly outputFolder: (sweepFile: string) => string,
  ) {
    super(SWEEP_FILE_SUFFIX, isTrusted, 'Sweep files');
  }

  protected runLenses(document: Document): vscode.Command[] {
    return [{ title: '$(play) Run Sweep', command: COMMANDS.runSweep, arguments: [document.uri], tooltip: `Run every run of this sweep (resumes: finished runs are kept) into ${this.outputFolder(document.fileName)}` }];
  }

  protected override viewLenses(document: Document): vscode.Command[] {
    const folder = this.outputFolder(document.fileName);
    if (!hasSummary(folder)) return [];
    return [{ title: '$(graph-scatter) Show Sweep', command: COMMANDS.showSweep, arguments: [folder], tooltip: `Open the phase diagrams of ${folder} in the Lab` }];
  }
}

export class ClaimCodeLensProvider extends FileCodeLensProvider {
  constructor(
    /** Whether the claim with this item id has a counterexample to open. */
    private readonly hasCounterexample: (claimId: string) => boolean,
  ) {
    // Checking a claim needs no trust: its expressions are evaluated by a safe expression
    // library and its cases are specs the engine runs; no workspace code runs.
    super(CLAIM_FILE_SUFFIX, () => true, 'Claim files');
  }

  protected runLenses(document: Document): vscode.Command[] {
    return [{ title: '$(beaker) Check Claim', command: COMMANDS.checkClaim, arguments: [document.uri], tooltip: 'Generate cases of this claim, run them, and shrink a failure to the smallest counterexample' }];
  }

  protected override viewLenses(document: Document): vscode.Command[] {
    const claim = claimItemId(document.uri);
    if (!this.hasCounterexample(claim)) return [];
    return [{ title: '$(graph-line) Open Counterexample in the Lab', command: COMMANDS.openCounterexample, arguments: [{ claim }], tooltip: 'Run the last counterexample of this claim in the Lab, with the step where it is false marked' }];
  }
}
