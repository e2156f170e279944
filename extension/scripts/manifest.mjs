// Sets the extension manifest fields of package.json and nothing else: other fields
// (scripts, dependencies) belong to others, so the file is read, these keys are set, and it is
// written back with the same formatting. Run: node extension/scripts/manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../../package.json', import.meta.url);
const pkg = JSON.parse(readFileSync(file, 'utf8'));

const C = 'Deep Factorization';
const dfl = "resourceFilename =~ /\\.dfl\\.json$/";
const sweep = "resourceFilename =~ /\\.dfl-sweep\\.json$/";
const claim = "resourceFilename =~ /\\.dfl-claim\\.json$/";
const matrix = 'resourceExtname =~ /^\\.(csv|tsv|txt|npy|mtx|mm)$/';
// Commands that run a workspace's experiment or matrix file: disabled and hidden in an untrusted
// workspace (extension/workspace/trust.ts refuses them too, for callers such as CodeLens and keybindings).
// Check Claim is not among them: a claim runs no workspace code (extension/workspace/trust.ts).
const trusted = 'isWorkspaceTrusted';
const commands = [
  { command: 'deepFactorization.openLab', title: 'Open Lab', category: C, icon: '$(beaker)' },
  { command: 'deepFactorization.runExperimentFile', title: 'Run Experiment File', category: C, icon: '$(play)', enablement: trusted },
  { command: 'deepFactorization.runPreset', title: 'Run Preset…', category: C, icon: '$(run-all)' },
  { command: 'deepFactorization.compareDepths', title: 'Compare Depths…', category: C, icon: '$(layers)' },
  { command: 'deepFactorization.loadTargetMatrix', title: 'Load Target Matrix…', category: C, icon: '$(table)', enablement: trusted },
  { command: 'deepFactorization.checkTheory', title: 'Check Theory', category: C, icon: '$(beaker)' },
  { command: 'deepFactorization.exportResults', title: 'Export Results…', category: C, icon: '$(export)' },
  { command: 'deepFactorization.showRunHistory', title: 'Show Run History', category: C, icon: '$(history)' },
  { command: 'deepFactorization.runSweep', title: 'Run Sweep…', category: C, icon: '$(run-all)', enablement: trusted },
  { command: 'deepFactorization.showSweep', title: 'Show Sweep', category: C, icon: '$(graph-scatter)' },
  { command: 'deepFactorization.checkClaim', title: 'Check Claim', category: C, icon: '$(beaker)' },
  // Internal: from views, CodeLens and test messages.
  { command: 'deepFactorization.openRun', title: 'Open in the Lab', category: C, icon: '$(go-to-file)' },
  { command: 'deepFactorization.openExperimentInLab', title: 'Run Experiment File in the Lab (WebGL)', category: C, icon: '$(beaker)', enablement: trusted },
  { command: 'deepFactorization.openCounterexample', title: 'Open Counterexample in the Lab', category: C, icon: '$(beaker)' },
  { command: 'deepFactorization.deleteRun', title: 'Delete Run', category: C, icon: '$(trash)' },
  { command: 'deepFactorization.refreshRuns', title: 'Refresh Runs', category: C, icon: '$(refresh)' },
];

pkg.main = './dist/extension.js';
pkg.icon = 'media/icon.png';
pkg.keywords = ['deep learning theory', 'matrix factorization', 'gradient descent', 'low rank', 'implicit bias', 'property testing'];
pkg.galleryBanner = { color: '#1e1e2e', theme: 'dark' };
pkg.extensionKind = ['workspace'];
pkg.capabilities = {
  untrustedWorkspaces: {
    supported: 'limited',
    description: 'In untrusted workspaces experiment files are validated and saved runs shown, but experiment and matrix files are not run (the shipped presets, Check Theory and claim files run: a claim runs no workspace code).',
    // What sizes or places the runs that do happen there: an untrusted workspace's values are ignored.
    restrictedConfigurations: ['deepFactorization.runsFolder', 'deepFactorization.logging.points', 'deepFactorization.propertyTests.runs', 'deepFactorization.propertyTests.maxN'],
  },
  virtualWorkspaces: { supported: false, description: 'Runs and matrix files are read and written through the local file system.' },
};
pkg.activationEvents = [
  ...commands.map((c) => `onCommand:${c.command}`),
  'onView:deepFactorization.runs',
  'onWebviewPanel:deepFactorization.lab',
  'onWebviewPanel:deepFactorization.report',
  'workspaceContains:**/*.dfl.json',
  'workspaceContains:**/*.dfl-sweep.json',
  'workspaceContains:**/*.dfl-claim.json',
];
pkg.contributes = {
  commands,
  viewsContainers: { activitybar: [{ id: 'deepFactorization', title: 'Deep Factorization Lab', icon: 'media/activity.svg' }] },
  views: { deepFactorization: [{ id: 'deepFactorization.runs', name: 'Runs', icon: 'media/activity.svg', contextualTitle: 'Deep Factorization Lab' }] },
  viewsWelcome: [
    {
      view: 'deepFactorization.runs',
      contents:
        'No runs in this workspace yet.\n[Open Lab](command:deepFactorization.openLab)\n[Run Preset…](command:deepFactorization.runPreset)\n[Check Theory](command:deepFactorization.checkTheory)\nRuns are saved as result JSON under the runs folder (setting `deepFactorization.runsFolder`).',
    },
  ],
  menus: {
    commandPalette: [
      { command: 'deepFactorization.openRun', when: 'false' },
      { command: 'deepFactorization.openCounterexample', when: 'false' },
      { command: 'deepFactorization.deleteRun', when: 'false' },
      { command: 'deepFactorization.runExperimentFile', when: trusted },
      { command: 'deepFactorization.loadTargetMatrix', when: trusted },
      { command: 'deepFactorization.runSweep', when: trusted },
      { command: 'deepFactorization.openExperimentInLab', when: `${dfl} && ${trusted}` },
      { command: 'deepFactorization.checkClaim', when: claim },
      { command: 'deepFactorization.refreshRuns', when: 'view == deepFactorization.runs' },
    ],
    'editor/title': [
      { command: 'deepFactorization.runExperimentFile', when: `${dfl} && ${trusted}`, group: 'navigation@1' },
      { command: 'deepFactorization.openExperimentInLab', when: `${dfl} && ${trusted}`, group: 'navigation@2' },
      { command: 'deepFactorization.runSweep', when: `${sweep} && ${trusted}`, group: 'navigation@1' },
      { command: 'deepFactorization.checkClaim', when: claim, group: 'navigation@1' },
    ],
    'editor/context': [
      { command: 'deepFactorization.runExperimentFile', when: `${dfl} && ${trusted}`, group: 'deepFactorization@1' },
      { command: 'deepFactorization.runSweep', when: `${sweep} && ${trusted}`, group: 'deepFactorization@1' },
      { command: 'deepFactorization.checkClaim', when: claim, group: 'deepFactorization@1' },
    ],
    'explorer/context': [
      { command: 'deepFactorization.runExperimentFile', when: `${dfl} && ${trusted}`, group: 'deepFactorization@1' },
      { command: 'deepFactorization.openExperimentInLab', when: `${dfl} && ${trusted}`, group: 'deepFactorization@2' },
      { command: 'deepFactorization.runSweep', when: `${sweep} && ${trusted}`, group: 'deepFactorization@1' },
      { command: 'deepFactorization.checkClaim', when: claim, group: 'deepFactorization@1' },
      { command: 'deepFactorization.loadTargetMatrix', when: `${trusted} && (${matrix} || resourceFilename =~ /\\.json$/ && !(${dfl}) && !(${sweep}) && !(${claim}))`, group: 'deepFactorization@3' },
    ],
    'view/title': [
      { command: 'deepFactorization.openLab', when: 'view == deepFactorization.runs', group: 'navigation@1' },
      { command: 'deepFactorization.runPreset', when: 'view == deepFactorization.runs', group: 'navigation@2' },
      { command: 'deepFactorization.checkTheory', when: 'view == deepFactorization.runs', group: 'navigation@3' },
      { command: 'deepFactorization.refreshRuns', when: 'view == deepFactorization.runs', group: 'navigation@4' },
      { command: 'deepFactorization.compareDepths', when: 'view == deepFactorization.runs', group: 'more@1' },
      { command: 'deepFactorization.loadTargetMatrix', when: `view == deepFactorization.runs && ${trusted}`, group: 'more@2' },
      { command: 'deepFactorization.showRunHistory', when: 'view == deepFactorization.runs', group: 'more@3' },
      { command: 'deepFactorization.exportResults', when: 'view == deepFactorization.runs', group: 'more@4' },
      { command: 'deepFactorization.runSweep', when: `view == deepFactorization.runs && ${trusted}`, group: 'more@5' },
      { command: 'deepFactorization.showSweep', when: 'view == deepFactorization.runs', group: 'more@6' },
    ],
    'view/item/context': [
      { command: 'deepFactorization.openRun', when: 'view == deepFactorization.runs && viewItem == dfl.run', group: 'inline@1' },
      { command: 'deepFactorization.exportResults', when: 'view == deepFactorization.runs && viewItem == dfl.run', group: 'inline@2' },
      { command: 'deepFactorization.openRun', when: 'view == deepFactorization.runs && viewItem == dfl.run', group: 'run@1' },
      { command: 'deepFactorization.exportResults', when: 'view == deepFactorization.runs && viewItem == dfl.run', group: 'run@2' },
      { command: 'deepFactorization.deleteRun', when: 'view == deepFactorization.runs && viewItem == dfl.run', group: 'zdelete@1' },
      { command: 'deepFactorization.showSweep', when: 'view == deepFactorization.runs && viewItem == dfl.sweep', group: 'inline@1' },
    ],
    'testing/message/context': [{ command: 'deepFactorization.openCounterexample', when: 'testMessage == dfl.counterexample' }],
    'testing/message/content': [{ command: 'deepFactorization.openCounterexample', when: 'testMessage == dfl.counterexample' }],
  },
  jsonValidation: [
    { fileMatch: '*.dfl.json', url: './dist/experiment.schema.json' },
    { fileMatch: '*.dfl-sweep.json', url: './dist/sweep.schema.json' },
    { fileMatch: '*.dfl-claim.json', url: './dist/claim.schema.json' },
  ],
  configuration: {
    title: 'Deep Factorization Lab',
    properties: {
      'deepFactorization.runIn': { type: 'string', enum: ['host', 'lab'], default: 'host', enumDescriptions: ['In the extension host (tfjs wasm; float64 spectral path where it applies, as `dfl run`), saved, then shown in the Lab', 'Live in the Lab panel on WebGL'], markdownDescription: 'Where **Run Experiment File** and **Run Preset…** run.' },
      'deepFactorization.backend': { type: 'string', enum: ['wasm', 'cpu'], default: 'wasm', markdownDescription: 'tfjs backend of runs and theory checks in the extension host.' },
      'deepFactorization.labBackend': { type: 'string', enum: ['webgl', 'cpu'], default: 'webgl', markdownDescription: 'Backend of the Lab page when the host starts a run there (WebGL falls back to the CPU by itself).' },
      'deepFactorization.logging.points': { type: 'integer', default: 400, minimum: 2, maximum: 100000, markdownDescription: 'Logged steps per run when an experiment file has no `log` field (presets always use it).' },
      'deepFactorization.logging.scale': { type: 'string', enum: ['log', 'linear'], default: 'log', markdownDescription: 'Spacing of the logged steps when an experiment file has no `log` field.' },
      'deepFactorization.effectiveRank': { type: 'string', enum: ['entropy', 'stable', 'nuclear', 'numerical'], default: 'entropy', markdownDescription: 'Effective-rank measure when an experiment file has no `effectiveRank` field (presets always use it).' },
      'deepFactorization.epsilon': { type: 'number', default: 0.1, exclusiveMinimum: 0, maximum: 1000, markdownDescription: 'ε of the plateaus when an experiment file has no `epsilon` field.' },
      'deepFactorization.propertyTests.runs': { type: 'integer', default: 10, minimum: 1, maximum: 10000, markdownDescription: 'Generated cases per property in **Check Theory** and the Test Explorer (`dfl check --runs`).' },
      'deepFactorization.propertyTests.seed': { type: 'integer', default: 1, minimum: 0, markdownDescription: 'fast-check seed of the property tests and claims (`dfl check --seed`): the same seed replays the same cases.' },
      'deepFactorization.propertyTests.maxN': { type: 'integer', default: 40, minimum: 2, maximum: 1024, markdownDescription: 'Largest n the property tests generate (`dfl check --max-n`).' },
      'deepFactorization.runsFolder': { type: 'string', default: '.dfl/runs', markdownDescription: 'Folder, relative to the (first) workspace folder, where runs are saved as result JSON. Without a workspace they go to the extension\'s global storage.' },
    },
  },
};
writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
console.log('package.json: manifest fields set');
