import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runResultSchema } from '../../core/result';
import type { RunResult } from '../../core/result';
import { extensionContext, fakeEngine, smallResult } from './fixtures';
import * as stub from './vscodeStub';

// Runs interrupted by the host going away (Restart Extension Host, window reload), by the Lab
// panel closing and by the webview reloading: history stays whole, nothing throws, the status bar
// does not keep showing a run that is gone. The e2e suite does the same in real VS Code.
vi.mock('vscode', () => import('./vscodeStub'));

const { activate } = await import('../../extension/extension');
const { COMMANDS, LAB_VIEW_TYPE } = await import('../../extension/ids');
const { setCompute } = await import('../../extension/compute/computeLoader');
const { LabPanel } = await import('../../extension/panels/labPanel');
const { RunStore } = await import('../../extension/runs/runStore');
const { RunsTreeProvider } = await import('../../extension/runs/runsView');

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});

let ctx: ReturnType<typeof extensionContext>;
let workspace: string;
let runs: string;
beforeEach(() => {
  stub.resetStub();
  workspace = mkdtempSync(path.join(tmpdir(), 'dfl-interrupt-'));
  runs = path.join(workspace, '.dfl', 'runs');
  stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(workspace), name: 'ws', index: 0 }];
  ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
});
afterEach(() => {
  for (const d of ctx.subscriptions.splice(0)) d.dispose();
  setCompute(undefined);
});

/** Two runs already in the history. */
function seedHistory(): string[] {
  const store = new RunStore(runs);
  return [store.save(result, new Date('2025-01-01T00:00:00Z')).name, store.save({ ...result, spec: { ...result.spec, name: 'second' } }, new Date('2025-01-02T00:00:00Z')).name];
}

/** Every file in the runs folder is a whole result; returns their names. */
function wholeResults(): string[] {
  const names = readdirSync(runs).sort();
  for (const name of names) {
    expect(name).toMatch(/\.json$/);
    expect(runResultSchema.safeParse(JSON.parse(readFileSync(path.join(runs, name), 'utf8'))).success, name).toBe(true);
  }
  return names;
}

const ready = (panel: stub.StubWebviewPanel) => panel.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
const running = (panel: stub.StubWebviewPanel, step: number) => panel.webview.receive({ type: 'state', state: 'running', paused: false, backend: 'webgl', step, steps: 4000 });

describe('the extension host stops mid-run (Restart Extension Host, reload, exit)', () => {
  it('aborts the host run: nothing is saved or opened afterwards, and the history is untouched', async () => {
    const before = seedHistory();
    const engine = fakeEngine(result, 200);
    setCompute(engine as never);
    const specFile = stub.Uri.file(path.join(workspace, 'long.dfl.json'));
    stub.recorded.written.set(specFile.fsPath, new TextEncoder().encode(JSON.stringify({ ...result.spec, name: 'long' })));
    activate(ctx as never);

    const command = stub.commands.executeCommand(COMMANDS.runExperimentFile, specFile);
    await vi.waitFor(() => expect(engine.signals).toHaveLength(1));
    for (const d of ctx.subscriptions.splice(0)) d.dispose();
    await command;

    expect(engine.signals[0].aborted).toBe(true);
    // Let the run's own timer pass too: nothing may land later.
    await new Promise((r) => setTimeout(r, 250));
    expect(wholeResults()).toEqual(before.sort());
    expect(stub.recorded.panels).toEqual([]);
    expect(stub.recorded.messages).toEqual([]);
  });

  it('removes temporaries left by a save that was killed, keeps a write in progress, and lists only whole results', () => {
    seedHistory();
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: never a running process
    const abandoned = path.join(runs, `.2025-01-03T00-00-00-000Z-killed.json.${dead}.1735862400000.tmp`);
    writeFileSync(abandoned, JSON.stringify(result).slice(0, 1000));
    const old = new Date(Date.now() - 60_000);
    utimesSync(abandoned, old, old);
    const inProgress = path.join(runs, `.2025-01-03T00-00-00-000Z-now.json.${process.pid}.${Date.now()}.tmp`);
    writeFileSync(inProgress, '{');
    writeFileSync(path.join(runs, 'truncated.json'), JSON.stringify(result).slice(0, 5000));

    const api = activate(ctx as never);
    expect(readdirSync(runs)).not.toContain(path.basename(abandoned));
    expect(readdirSync(runs)).toContain(path.basename(inProgress));
    expect(stub.recorded.log.some((l) => l.startsWith('info removed 1 temporary file(s) left by an interrupted save'))).toBe(true);
    expect(api.runs()).toHaveLength(2);

    // The side view: the two runs and a note for the truncated file.
    const tree = new RunsTreeProvider({ runs: () => new RunStore(runs).list(), lastCheck: () => undefined });
    const top = tree.getChildren();
    expect(top.map((n) => n.kind)).toEqual(['run', 'run', 'note']);
    expect(top[2]).toMatchObject({ text: '1 unreadable file in the runs folder' });
  });
});

describe('the Lab panel closes mid-run', () => {
  it('a saved run’s panel closes without touching the disposed panel, is forgotten, and clears the status bar', async () => {
    const [name] = seedHistory();
    const api = activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.openRun, name);
    const panel = stub.recorded.panels[0];
    const title = panel.title;
    ready(panel);
    running(panel, 100);
    const status = stub.recorded.statusBarItems[0];
    expect(status.visible).toBe(true);

    // The user closes the tab: VS Code disposes the panel, then tells the extension.
    expect(() => panel.dispose()).not.toThrow();
    expect(status.visible).toBe(false);
    expect(LabPanel.all()).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    // Forgotten: a window reload does not bring it back with the run.
    const revived = stub.window.createWebviewPanel(LAB_VIEW_TYPE, title, 1, {});
    await stub.recorded.serializers.get(LAB_VIEW_TYPE)!.deserializeWebviewPanel(revived, undefined);
    ready(revived);
    expect(revived.webview.posted).toEqual([]);
    expect(api.runs()).toHaveLength(2);
    expect(stub.recorded.messages).toEqual([]);
  });

  it('a host run that finishes after its Lab was closed opens a new one', async () => {
    const engine = fakeEngine(result, 20);
    setCompute(engine as never);
    const api = activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.openLab);
    const scratch = stub.recorded.panels[0];
    ready(scratch);
    stub.recorded.quickPicks.push((items) => items[0]);
    const command = stub.commands.executeCommand(COMMANDS.runPreset);
    scratch.dispose();
    await command;
    expect(api.runs()).toHaveLength(1);
    const opened = stub.recorded.panels[1];
    ready(opened);
    expect(opened.webview.posted).toContainEqual(expect.objectContaining({ type: 'loadResult' }));
    expect(stub.recorded.messages).toEqual([]);
  });
});

describe('the webview reloads mid-run (Developer: Reload Webviews)', () => {
  it('the status bar stops showing the lost run, and a saved run’s panel gets its result again', async () => {
    const [name] = seedHistory();
    activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.openRun, name);
    const panel = stub.recorded.panels[0];
    ready(panel);
    expect(panel.webview.posted.filter((m) => (m as { type: string }).type === 'loadResult')).toHaveLength(1);
    running(panel, 1200);
    const status = stub.recorded.statusBarItems[0];
    expect(status).toMatchObject({ visible: true, text: expect.stringContaining('1200/4000') });

    // The page comes back blank and says ready again.
    ready(panel);
    expect(status.visible).toBe(false);
    expect(panel.webview.posted.filter((m) => (m as { type: string }).type === 'loadResult')).toHaveLength(2);
    expect(stub.recorded.messages).toEqual([]);
  });

  it('a run the page finishes after a reload is saved like any other', () => {
    const api = activate(ctx as never);
    void stub.commands.executeCommand(COMMANDS.openLab);
    const panel = stub.recorded.panels[0];
    ready(panel);
    ready(panel);
    panel.webview.receive({ type: 'done', runId: 1, result });
    expect(api.runs()).toHaveLength(1);
    expect(wholeResults()).toHaveLength(1);
  });
});
