import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/dfl';
import { parseRunResult } from '../../core/result';
import { extensionContext, fakeEngine } from './fixtures';
import * as stub from './vscodeStub';

// One result model end to end: a result of `dfl run --preset` keeps its preset through the
// extension's run store, the Runs view and Export Results…, so `dfl report` groups it by preset.

vi.mock('vscode', () => import('./vscodeStub'));

const { activate } = await import('../../extension/extension');
const { COMMANDS } = await import('../../extension/ids');
const { setCompute } = await import('../../extension/compute/computeLoader');

const PRESET = 'paper-random-init-scale';

afterEach(() => {
  setCompute(undefined);
  vi.restoreAllMocks();
});

describe('a preset run through the extension and back to dfl report', () => {
  it('keeps its preset: saved, listed by the Runs view, exported, grouped by dfl report', async () => {
    const cliOut = mkdtempSync(path.join(tmpdir(), 'dfl-roundtrip-cli-'));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['run', '--preset', PRESET, '--out', cliOut, '--quiet'])).toBe(0);
    const written = readFileSync(path.join(cliOut, `${PRESET}-alpha-0-1.json`), 'utf8');
    const cliResult = parseRunResult(JSON.parse(written), 'cli result');
    expect(cliResult.preset).toBe(PRESET);

    // The extension runs it (the compute bundle stands in) and saves it to the workspace's runs.
    stub.resetStub();
    const workspace = mkdtempSync(path.join(tmpdir(), 'dfl-roundtrip-ws-'));
    stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(workspace), name: 'ws', index: 0 }];
    setCompute(fakeEngine(cliResult) as never);
    const views: { options: { treeDataProvider: { getChildren(): { kind: string; run?: { name: string; result: { preset?: string } } }[] } } }[] = [];
    const createTreeView = stub.window.createTreeView;
    vi.spyOn(stub.window, 'createTreeView').mockImplementation((id: string, options: unknown) => {
      const view = createTreeView(id, options);
      views.push(view as never);
      return view;
    });
    const ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-roundtrip-global-')));
    const api = activate(ctx as never);
    try {
      stub.recorded.quickPicks.push((items) => (items as { preset: { name: string } }[]).find((i) => i.preset.name === PRESET));
      await stub.commands.executeCommand(COMMANDS.runPreset);
      expect(api.runs()).toHaveLength(1);

      // Read back by the Runs view: the preset is still there.
      const runs = views[0].options.treeDataProvider.getChildren().filter((n) => n.kind === 'run');
      expect(runs).toHaveLength(1);
      expect(runs[0].run!.result.preset).toBe(PRESET);

      // Exported as result JSON…
      const exported = path.join(workspace, 'exported.json');
      stub.recorded.quickPicks.push((items) => (items as { ext: string }[]).find((i) => i.ext === 'json'));
      stub.recorded.saveDialog = stub.Uri.file(exported);
      await stub.commands.executeCommand(COMMANDS.exportResults, runs[0].run!.name);
      writeFileSync(exported, stub.recorded.written.get(exported)!);
      expect(JSON.parse(readFileSync(exported, 'utf8')).preset).toBe(PRESET);

      // …which dfl report groups under its preset.
      out = '';
      expect(await main(['report', exported, '--html', path.join(workspace, 'report.html')])).toBe(0);
      expect(out.split('\n')[0]).toMatch(new RegExp(`^${PRESET}: `));
    } finally {
      for (const d of ctx.subscriptions.splice(0)) d.dispose();
    }
  });
});
