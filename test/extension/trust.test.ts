import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../core/result';
import { extensionContext, fakeEngine, smallResult } from './fixtures';
import * as stub from './vscodeStub';

// Workspace trust: every entry point that runs a workspace's experiment or matrix file refuses in
// an untrusted workspace (one warning, one log line, nothing run) and works once it is trusted;
// the shipped presets and the theory harness run either way (extension/workspace/trust.ts says why).
vi.mock('vscode', () => import('./vscodeStub'));

const { activate } = await import('../../extension/extension');
const { COMMANDS } = await import('../../extension/ids');
const { setCompute } = await import('../../extension/compute/computeLoader');
const { ExperimentCodeLensProvider } = await import('../../extension/editor/codeLens');
const { trustRefusal, untrustedMessage, MANAGE_TRUST_COMMAND, WORKSPACE_RUN_COMMANDS } = await import('../../extension/workspace/trust');

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});

let ctx: ReturnType<typeof extensionContext>;
let engine: ReturnType<typeof fakeEngine>;
let workspace: string;
let api: ReturnType<typeof activate>;
let specFile: stub.Uri;

/** Activates against a fresh workspace holding one experiment file (and one matrix file). */
function setUp(trusted: boolean) {
  stub.resetStub();
  stub.workspace.isTrusted = trusted;
  workspace = mkdtempSync(path.join(tmpdir(), 'dfl-trust-'));
  stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(workspace), name: 'ws', index: 0 }];
  specFile = stub.Uri.file(path.join(workspace, 'exp.dfl.json'));
  // The stub's openTextDocument and fs.readFile serve what `recorded.written` holds.
  stub.recorded.written.set(specFile.fsPath, new TextEncoder().encode(JSON.stringify({ ...result.spec, name: 'exp' })));
  writeFileSync(path.join(workspace, 'A.csv'), '1,0\n0,1\n');
  stub.recorded.written.set(path.join(workspace, 'A.csv'), new TextEncoder().encode('1,0\n0,1\n'));
  engine = fakeEngine(result);
  setCompute(engine as never);
  ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
  api = activate(ctx as never);
}

afterEach(() => {
  for (const d of ctx?.subscriptions.splice(0) ?? []) d.dispose();
  setCompute(undefined);
});

const ran = () => engine.runSpec.mock.calls.length + engine.targetRows.mock.calls.length + engine.inspectMatrix.mock.calls.length;
const refusals = () => stub.recorded.messages.filter((m) => m.level === 'warning' && /needs a trusted workspace/.test(m.text));
const ready = (panel: stub.StubWebviewPanel) => panel.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });

/** Asserts the one refusal of `what`: a warning with the trust button, a log line, nothing run. */
function expectRefused(what: RegExp) {
  expect(refusals()).toHaveLength(1);
  expect(refusals()[0].text).toMatch(what);
  expect(refusals()[0].buttons).toEqual(['Manage Workspace Trust']);
  expect(stub.recorded.messages.filter((m) => m.level === 'error')).toEqual([]);
  expect(stub.recorded.log.filter((l) => l.startsWith('warn ') && /refused: .*needs a trusted workspace/.test(l))).toHaveLength(1);
  expect(ran()).toBe(0);
  expect(api.runs()).toEqual([]);
}

describe('the trust rule (pure)', () => {
  it('refuses workspace input when untrusted, and nothing else', () => {
    expect(trustRefusal(false, 'workspace', 'Run Experiment File')).toBe(untrustedMessage('Run Experiment File'));
    expect(untrustedMessage('Run Experiment File')).toMatch(/^Run Experiment File needs a trusted workspace: /);
    expect(trustRefusal(true, 'workspace', 'Run Experiment File')).toBeUndefined();
    expect(trustRefusal(false, 'bundled', 'Run Preset…')).toBeUndefined();
  });
});

describe('in an untrusted workspace', () => {
  beforeEach(() => setUp(false));

  it('Run Experiment File (palette, menus, CodeLens) refuses', async () => {
    await stub.commands.executeCommand(COMMANDS.runExperimentFile, specFile);
    expectRefused(/^Deep Factorization: Run Experiment File needs a trusted workspace/);
    expect(stub.recorded.panels).toEqual([]);
  });

  it('Run Experiment File in the Lab refuses: no Lab opens, nothing is sent to one', async () => {
    await stub.commands.executeCommand(COMMANDS.openExperimentInLab, specFile);
    expectRefused(/Run Experiment File in the Lab needs a trusted workspace/);
    expect(stub.recorded.panels).toEqual([]);
  });

  it('the refusal button opens the trust editor', async () => {
    stub.recorded.answers.push('Manage Workspace Trust');
    await stub.commands.executeCommand(COMMANDS.runExperimentFile, specFile);
    await new Promise((r) => setTimeout(r, 0));
    expect(stub.recorded.builtinCommands).toEqual([MANAGE_TRUST_COMMAND]);
  });

  it('Compare Depths refuses an experiment file as its base, and runs a preset', async () => {
    stub.window.activeTextEditor = { document: { uri: specFile } };
    try {
      stub.recorded.quickPicks.push((items) => items[0]);
      await stub.commands.executeCommand(COMMANDS.compareDepths);
      expectRefused(/Compare Depths on an experiment file needs a trusted workspace/);

      stub.recorded.quickPicks.push((items) => items[1], (items) => items.slice(0, 2));
      await stub.commands.executeCommand(COMMANDS.compareDepths);
      expect(engine.runSpec).toHaveBeenCalledTimes(2);
      expect(api.runs()).toHaveLength(2);
    } finally {
      stub.window.activeTextEditor = undefined;
    }
  });

  it('Load Target Matrix refuses', async () => {
    await stub.commands.executeCommand(COMMANDS.loadTargetMatrix, stub.Uri.file(path.join(workspace, 'A.csv')));
    expectRefused(/Load Target Matrix… needs a trusted workspace/);
    expect(stub.recorded.panels).toEqual([]);
  });

  it('the Lab gets no workspace matrix file for a run, but the shipped MNIST digits', async () => {
    await stub.commands.executeCommand(COMMANDS.openLab);
    const panel = stub.recorded.panels[0];
    ready(panel);
    panel.webview.receive({ type: 'needTarget', spec: { ...result.spec, n: 2, target: { kind: 'file', path: 'A.csv' } } });
    await new Promise((r) => setTimeout(r, 0));
    expect(panel.webview.posted.at(-1)).toEqual({ type: 'notice', level: 'error', text: untrustedMessage('A Lab run on A.csv') });
    expect(engine.targetRows).not.toHaveBeenCalled();
    expect(stub.recorded.log.some((l) => /^warn Lab: refused: A Lab run on A\.csv needs a trusted workspace/.test(l))).toBe(true);

    panel.webview.receive({ type: 'needTarget', spec: { ...result.spec, n: 28, target: { kind: 'mnist', index: 3 } } });
    await new Promise((r) => setTimeout(r, 0));
    expect(panel.webview.posted.at(-1)).toMatchObject({ type: 'run', spec: { target: { kind: 'mnist' } } });
  });

  it('no run reads a workspace file, whatever starts it (a counterexample naming a file)', async () => {
    const spec = { ...result.spec, n: 2, target: { kind: 'file' as const, path: 'A.csv' } };
    await ctx.workspaceState.update('dfl.lastCheck', { seed: 1, runs: 1, maxN: 8, finishedAt: 0, cancelled: false, skipped: [], reports: [{ name: 'p', claim: 'c', passed: 0, failed: 1, hypothesisNotMet: 0, seconds: 0, statistics: {}, counterexample: { spec, message: 'm', shrinks: 0 } }] });
    await stub.commands.executeCommand(COMMANDS.openCounterexample, { property: 'p' });
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0].text).toMatch(/A run that reads A\.csv needs a trusted workspace/);
    expect(stub.recorded.panels).toEqual([]);
  });

  it('the CodeLens says why it does not run and opens the trust editor; trusting the workspace turns it into Run', async () => {
    const [provider] = stub.recorded.codeLensProviders;
    const document = { fileName: specFile.fsPath, uri: specFile };
    const untrusted = provider.provideCodeLenses(document);
    expect(untrusted).toHaveLength(1);
    expect(untrusted[0].command).toMatchObject({ command: MANAGE_TRUST_COMMAND, title: expect.stringMatching(/needs a trusted workspace/) });

    let changed = 0;
    provider.onDidChangeCodeLenses?.(() => changed++);
    stub.grantTrust();
    expect(changed).toBe(1);
    const trusted = provider.provideCodeLenses(document);
    expect(trusted.map((l) => l.command?.command)).toEqual([COMMANDS.runExperimentFile, COMMANDS.openExperimentInLab]);
    expect(trusted[0].command?.arguments).toEqual([specFile]);
    expect(stub.recorded.log).toContain('info the workspace is trusted now: its experiment files can run');

    // Granted trust takes effect without a reload.
    await stub.commands.executeCommand(COMMANDS.runExperimentFile, specFile);
    expect(refusals()).toEqual([]);
    expect(api.runs()).toHaveLength(1);
  });

  // Chosen behaviour: what ships with the extension runs (see extension/workspace/trust.ts).
  it('Run Preset runs a shipped preset and saves it', async () => {
    stub.recorded.quickPicks.push((items) => items[0]);
    await stub.commands.executeCommand(COMMANDS.runPreset);
    expect(refusals()).toEqual([]);
    expect(engine.runSpec).toHaveBeenCalledTimes(1);
    expect(api.runs()).toHaveLength(1);
    expect(stub.recorded.panels).toHaveLength(1);
  });

  it('Check Theory and the Test Explorer profile run the shipped harness', async () => {
    await stub.commands.executeCommand(COMMANDS.checkTheory);
    expect(engine.checkTheorem).toHaveBeenCalledTimes(1);
    expect(ctx.workspaceState.get('dfl.lastCheck')).toMatchObject({ reports: [{ name: 'intervals-ordered', failed: 0 }] });
    expect(stub.recorded.runs[0].events.map((e) => e.kind)).toEqual(['enqueued', 'started', 'passed']);
    const [controller] = stub.recorded.testControllers;
    await controller.profiles[0].run(new stub.TestRunRequest(), new stub.CancellationTokenSource().token);
    expect(engine.checkTheorem).toHaveBeenCalledTimes(2);
    expect(stub.recorded.runs[1].events.map((e) => e.kind)).toEqual(['enqueued', 'started', 'passed']);
    expect(refusals()).toEqual([]);
  });

  it('viewing saved runs keeps working', async () => {
    const saved = path.join(workspace, '.dfl', 'runs', '2025-01-01T00-00-00-000Z-small.json');
    mkdirSync(path.dirname(saved), { recursive: true });
    writeFileSync(saved, JSON.stringify(result));
    expect(api.runs()).toEqual([path.basename(saved)]);
    await stub.commands.executeCommand(COMMANDS.openRun, path.basename(saved));
    ready(stub.recorded.panels[0]);
    expect(stub.recorded.panels[0].webview.posted).toEqual([expect.objectContaining({ type: 'loadResult' })]);
    expect(refusals()).toEqual([]);
  });
});

describe('in a trusted workspace', () => {
  beforeEach(() => setUp(true));

  it('Run Experiment File runs in the host, saves the result and opens it in the Lab', async () => {
    await stub.commands.executeCommand(COMMANDS.runExperimentFile, specFile);
    expect(engine.runSpec).toHaveBeenCalledTimes(1);
    expect(readdirSync(path.join(workspace, '.dfl', 'runs'))).toEqual([expect.stringMatching(/-exp\.json$/)]);
    expect(stub.recorded.panels.map((p) => p.title)).toEqual([expect.stringMatching(/^Lab · exp · /)]);
  });

  it('Run Experiment File in the Lab sends the spec to the Lab', async () => {
    await stub.commands.executeCommand(COMMANDS.openExperimentInLab, specFile);
    ready(stub.recorded.panels[0]);
    expect(stub.recorded.panels[0].webview.posted).toContainEqual(expect.objectContaining({ type: 'run', spec: expect.objectContaining({ name: 'exp' }) }));
  });

  it('Compare Depths runs an experiment file at each picked depth', async () => {
    stub.window.activeTextEditor = { document: { uri: specFile } };
    try {
      stub.recorded.quickPicks.push((items) => items[0], (items) => items.slice(0, 3));
      await stub.commands.executeCommand(COMMANDS.compareDepths);
      expect(engine.runSpec.mock.calls.map(([spec]) => spec.depth)).toEqual([1, 2, 3]);
    } finally {
      stub.window.activeTextEditor = undefined;
    }
  });

  it('Load Target Matrix starts a Lab run on the file', async () => {
    await stub.commands.executeCommand(COMMANDS.loadTargetMatrix, stub.Uri.file(path.join(workspace, 'A.csv')));
    ready(stub.recorded.panels[0]);
    expect(stub.recorded.panels[0].webview.posted).toContainEqual(expect.objectContaining({ type: 'run', spec: expect.objectContaining({ target: { kind: 'file', path: 'A.csv' } }) }));
  });

  it('the Lab gets workspace matrix files', async () => {
    await stub.commands.executeCommand(COMMANDS.openLab);
    const panel = stub.recorded.panels[0];
    ready(panel);
    panel.webview.receive({ type: 'needTarget', spec: { ...result.spec, n: 2, target: { kind: 'file', path: 'A.csv' } } });
    await new Promise((r) => setTimeout(r, 0));
    expect(panel.webview.posted.at(-1)).toMatchObject({ type: 'run', target: [[1, 0], [0, 1]] });
  });

  it('the CodeLens offers Run and Run in the Lab', () => {
    const lenses = stub.recorded.codeLensProviders[0].provideCodeLenses({ fileName: specFile.fsPath, uri: specFile });
    expect(lenses.map((l) => l.command?.command)).toEqual([COMMANDS.runExperimentFile, COMMANDS.openExperimentInLab]);
    expect(refusals()).toEqual([]);
  });
});

describe('the manifest', () => {
  const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8'));

  it('disables and hides every command that runs a workspace file when the workspace is untrusted', () => {
    expect(WORKSPACE_RUN_COMMANDS.length).toBeGreaterThan(0);
    for (const id of WORKSPACE_RUN_COMMANDS) {
      expect(pkg.contributes.commands.find((c: { command: string }) => c.command === id)?.enablement, id).toBe('isWorkspaceTrusted');
      const entries = Object.values(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>)
        .flat()
        .filter((m) => m.command === id);
      expect(entries.some((m) => m.command === id), `${id} in the palette`).toBe(true);
      for (const m of entries) expect(m.when, `${id}: ${m.when}`).toMatch(/\bisWorkspaceTrusted\b/);
    }
  });

  it('ignores an untrusted workspace’s settings that size or place runs', () => {
    const { untrustedWorkspaces } = pkg.capabilities;
    expect(untrustedWorkspaces.supported).toBe('limited');
    expect(untrustedWorkspaces.restrictedConfigurations).toEqual(expect.arrayContaining(['deepFactorization.runsFolder', 'deepFactorization.propertyTests.runs', 'deepFactorization.propertyTests.maxN', 'deepFactorization.logging.points']));
    for (const key of untrustedWorkspaces.restrictedConfigurations) expect(pkg.contributes.configuration.properties[key], key).toBeDefined();
  });

  it('the CodeLens asks about trust on every call', () => {
    let trusted = false;
    const provider = new ExperimentCodeLensProvider(() => trusted);
    const document = { fileName: '/w/a.dfl.json', uri: stub.Uri.file('/w/a.dfl.json') } as never;
    expect(provider.provideCodeLenses(document)).toHaveLength(1);
    trusted = true;
    expect(provider.provideCodeLenses(document)).toHaveLength(2);
    expect(provider.provideCodeLenses({ fileName: '/w/a.json' } as never)).toEqual([]);
  });
});
