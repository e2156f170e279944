// Identifiers shared by the manifest (package.json `contributes`, set by extension/scripts/manifest.mjs)
// and the code. Pure: no `vscode`.

export const COMMANDS = {
  openLab: 'deepFactorization.openLab',
  runExperimentFile: 'deepFactorization.runExperimentFile',
  runPreset: 'deepFactorization.runPreset',
  compareDepths: 'deepFactorization.compareDepths',
  loadTargetMatrix: 'deepFactorization.loadTargetMatrix',
  checkTheory: 'deepFactorization.checkTheory',
  exportResults: 'deepFactorization.exportResults',
  showRunHistory: 'deepFactorization.showRunHistory',
  runSweep: 'deepFactorization.runSweep',
  showSweep: 'deepFactorization.showSweep',
  checkClaim: 'deepFactorization.checkClaim',
  // Internal (hidden from the palette): arguments come from views, CodeLens and test messages.
  openRun: 'deepFactorization.openRun',
  openExperimentInLab: 'deepFactorization.openExperimentInLab',
  openCounterexample: 'deepFactorization.openCounterexample',
  deleteRun: 'deepFactorization.deleteRun',
  refreshRuns: 'deepFactorization.refreshRuns',
} as const;

export const LAB_VIEW_TYPE = 'deepFactorization.lab';
export const REPORT_VIEW_TYPE = 'deepFactorization.report';
export const RUNS_VIEW = 'deepFactorization.runs';
export const TEST_CONTROLLER_ID = 'deepFactorization.theory';
export const CONFIG_SECTION = 'deepFactorization';
/** `contextValue` of test messages that carry a counterexample spec. */
export const COUNTEREXAMPLE_CONTEXT = 'dfl.counterexample';
/** Where runs go under the workspace folder unless the setting says otherwise. */
export const DEFAULT_RUNS_FOLDER = '.dfl/runs';
