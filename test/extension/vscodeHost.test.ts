import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../core/result';
import type { PropertyReport } from '../../property-tests/runner';
import { smallResult } from './fixtures';
import * as stub from './vscodeStub';

// The host against the typed stand-in of `vscode` (test/extension/vscodeStub.ts).
vi.mock('vscode', () => import('./vscodeStub'));

const { reportToOutcome } = await import('../../extension/theory/testMessages');
const { TheoryTests } = await import('../../extension/theory/theoryTests');
const { activate } = await import('../../extension/extension');
const { COMMANDS, COUNTEREXAMPLE_CONTEXT, LAB_VIEW_TYPE } = await import('../../extension/ids');
const { LabPanel } = await import('../../extension/panels/labPanel');

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});
beforeEach(() => stub.resetStub());

const passing: PropertyReport = { name: 'intervals-ordered', claim: 'ordered', passed: 10, failed: 0, hypothesisNotMet: 2, seconds: 1.5, statistics: { coverage: { count: 10, mean: 0.9, min: 0.5, max: 1, sum: 9 } } };
const failing = (spec: RunResult['spec']): PropertyReport => ({ ...passing, name: 'plateau-erank', passed: 3, failed: 1, counterexample: { spec, message: 'erank 2.4 outside [1.9, 2.1] at step 300', shrinks: 7 } });

describe('property reports → Test Explorer', () => {
  it('a passing report passes with its summary and duration', () => {
    const outcome = reportToOutcome(passing);
    expect(outcome).toMatchObject({ kind: 'passed', duration: 1500 });
    expect(outcome.kind === 'passed' && outcome.summary).toBe('10 passed, 2 hypothesis not met (coverage mean 0.900)');
  });

  it('a failure carries the shrunk counterexample, its message, and an action that opens it in the Lab', () => {
    const outcome = reportToOutcome(failing(result.spec));
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    const message = outcome.message as unknown as stub.TestMessage;
    expect(message.contextValue).toBe(COUNTEREXAMPLE_CONTEXT);
    const text = (message.message as stub.MarkdownString).value;
    expect(text).toContain('erank 2.4 outside');
    expect(text).toContain('7 shrinks');
    expect(text).toContain(JSON.stringify(result.spec, null, 2));
    expect(text).toContain(`command:${COMMANDS.openCounterexample}?`);
    expect((message.message as stub.MarkdownString).isTrusted).toEqual({ enabledCommands: [COMMANDS.openCounterexample] });
    expect(outcome.counterexample).toEqual(result.spec);
  });
});

describe('TheoryTests (TestController)', () => {
  // Claim files are test/extension/claims.test.ts's; here the workspace has none.
  const noClaims = { check: vi.fn(async () => Promise.reject(new Error('no claim here'))) };
  const runner = (fail: Set<string>) => ({
    list: () => ['a', 'b', 'c'].map((name) => ({ name, claim: `claim ${name}` })),
    check: vi.fn(async (name: string) => (fail.has(name) ? { ...failing(result.spec), name } : { ...passing, name })),
    settings: () => ({ runs: 2, seed: 1, maxN: 8 }),
  });

  it('makes one item per property lazily and runs each on its own', async () => {
    const r = runner(new Set());
    const tests = new TheoryTests(r, noClaims, () => undefined, () => undefined);
    const controller = tests.controller as unknown as ReturnType<typeof stub.tests.createTestController>;
    expect(controller.items.size).toBe(0);
    await controller.resolveHandler?.();
    expect(controller.items.size).toBe(3);
    const b = controller.items.get('b')!;
    await controller.profiles[0].run(new stub.TestRunRequest([b]), new stub.CancellationTokenSource().token);
    expect(r.check).toHaveBeenCalledTimes(1);
    expect(stub.recorded.runs[0].events.map((e) => `${e.kind}:${e.id}`)).toEqual(['enqueued:b', 'started:b', 'passed:b']);
    expect(stub.recorded.runs[0].ended).toBe(true);
  });

  it('reports failures with their messages, skips the rest after cancellation, and always ends the run', async () => {
    const r = runner(new Set(['a']));
    const finished = vi.fn();
    const tests = new TheoryTests(r, noClaims, finished, () => undefined);
    const source = new stub.CancellationTokenSource();
    r.check.mockImplementationOnce(async (name: string) => {
      source.cancel();
      return { ...failing(result.spec), name };
    });
    await tests.runRequest(new stub.TestRunRequest() as never, source.token as never);
    const events = stub.recorded.runs[0].events.filter((e) => e.kind !== 'enqueued');
    expect(events.map((e) => `${e.kind}:${e.id}`)).toEqual(['started:a', 'failed:a', 'skipped:b', 'skipped:c']);
    expect(events[1].message?.contextValue).toBe(COUNTEREXAMPLE_CONTEXT);
    expect(stub.recorded.runs[0].ended).toBe(true);
    expect(finished).toHaveBeenCalledWith(expect.objectContaining({ cancelled: true, skipped: ['b', 'c'] }));
    // The message's action finds the counterexample again.
    expect(tests.counterexample({ message: events[1].message })).toEqual({ spec: result.spec });
    expect(tests.counterexample({ property: 'a' })).toEqual({ spec: result.spec });
  });
});

describe('activate', () => {
  function context(storage: string) {
    const state = new Map<string, unknown>();
    const memento = { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v), keys: () => [...state.keys()] };
    return { subscriptions: [] as { dispose(): void }[], extensionUri: stub.Uri.file(path.resolve('.')), globalStorageUri: stub.Uri.file(storage), workspaceState: memento, globalState: memento };
  }

  it('registers every command, the panel serializers, and saves runs to global storage without a workspace', async () => {
    const storage = mkdtempSync(path.join(tmpdir(), 'dfl-global-'));
    const api = activate(context(storage) as never);
    for (const id of Object.values(COMMANDS)) expect(stub.recorded.commands.has(id), id).toBe(true);
    expect([...stub.recorded.serializers.keys()]).toEqual([LAB_VIEW_TYPE, 'deepFactorization.report']);
    expect(api.runsFolder()).toBe(path.join(storage, 'runs'));
  });

  it('Open Lab makes one panel (CSP with a nonce, the bundle as the only resource root), queues messages until the page is ready', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'dfl-ws-'));
    stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(workspace), name: 'ws', index: 0 }];
    const ctx = context(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
    const api = activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.openLab);
    await stub.commands.executeCommand(COMMANDS.openLab);
    expect(stub.recorded.panels).toHaveLength(1);
    const panel = stub.recorded.panels[0];
    expect(panel.revealed).toBe(1);
    expect(panel.webview.html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;[^"]*script-src &#39;nonce-[A-Za-z0-9+/=]{24}&#39;/);
    expect(panel.webview.options).toMatchObject({ enableScripts: true, localResourceRoots: [{ path: path.resolve('dist/webview') }] });
    expect(panel.webview.posted).toEqual([]);
    panel.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
    expect(panel.webview.posted).toEqual([{ type: 'theme', kind: 'dark' }]);

    // A finished run in the page is saved to the workspace's runs folder, atomically.
    panel.webview.receive({ type: 'done', runId: 1, result });
    expect(api.runsFolder()).toBe(path.join(workspace, '.dfl', 'runs'));
    expect(readdirSync(api.runsFolder())).toHaveLength(1);
    expect(api.runs()).toHaveLength(1);

    // Messages that fail validation are logged and otherwise ignored.
    panel.webview.receive({ type: 'done', runId: 1, result: { ...result, steps: 'all' } });
    panel.webview.receive({ type: 'needTarget', spec: { ...result.spec, target: { kind: 'file', path: '../../etc/passwd' } } });
    await new Promise((r) => setTimeout(r, 10));
    expect(api.runs()).toHaveLength(1);
    expect(stub.recorded.log.filter((l) => l.startsWith("warn ")).join("\n")).toMatch(/ignored a message from the Lab: webview message "done"\.result\.steps: expected an array/);
    expect(panel.webview.posted.at(-1)).toMatchObject({ type: 'notice', level: 'error', text: expect.stringMatching(/outside the workspace/) });

    // Each saved run opens in its own panel, with the result.
    await stub.commands.executeCommand(COMMANDS.openRun, api.runs()[0]);
    expect(stub.recorded.panels).toHaveLength(2);
    const runPanel = stub.recorded.panels[1];
    expect(runPanel.title).toMatch(/^Lab · small N = 3/);
    runPanel.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
    expect(runPanel.webview.posted).toEqual([expect.objectContaining({ type: 'loadResult', result: expect.objectContaining({ steps: result.steps }) })]);

    // After a reload, VS Code hands the panel back to the serializer, which shows the same run.
    const title = runPanel.title;
    for (const d of ctx.subscriptions.splice(0)) d.dispose();
    expect(LabPanel.all()).toHaveLength(0);
    activate(ctx as never);
    const revived = stub.window.createWebviewPanel(LAB_VIEW_TYPE, title, 1, {});
    await stub.recorded.serializers.get(LAB_VIEW_TYPE)!.deserializeWebviewPanel(revived, { spec: result.spec });
    expect(revived.webview.html).toContain('Deep Factorization Lab');
    revived.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
    expect(revived.webview.posted).toEqual([expect.objectContaining({ type: 'loadResult' })]);
    for (const d of ctx.subscriptions) d.dispose();
  });
});
