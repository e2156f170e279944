import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runResultSchema } from '../../core/result';
import { extensionContext } from './fixtures';
import * as stub from './vscodeStub';

// Sweeps in the extension (docs/sweeps.md "In VS Code"): Run Sweep spawns the bundled dfl
// (dist/compute.js run as a script, built by the test run's global setup) on real sweep files, Cancel
// is Ctrl-C, the Lab's Sweep view opens the folder and answers a cell's openSweepRun, and the
// side view and the CodeLens list what is there.
vi.mock('vscode', () => import('./vscodeStub'));

const { activate } = await import('../../extension/extension');
const { COMMANDS } = await import('../../extension/ids');
const { LabPanel } = await import('../../extension/panels/labPanel');
const { listSweepFolders, readSweepRun, sweepOutputFolder, sweepsFolderBeside } = await import('../../extension/sweeps/sweepFolders');
const { parseSweepLine, sweepProgressMessage, sweepVerdict } = await import('../../extension/sweeps/sweepProcess');

const base = { n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 300, log: { points: 20 } };
/** 4 spectral runs of a few hundred steps: about a second with the process start. */
const tiny = { name: 'tiny', base, axes: { depth: [2, 3], 'init.alpha': [0.05, 0.1] } };
/** 12 runs of 150,000 steps at n = 200 (exact spectral path): long enough to cancel mid-way. */
const slow = { name: 'slow', base: { ...base, n: 200, target: { kind: 'spectrum', eigenvalues: [4, 2, 1, 0.5] }, steps: 150_000, log: { points: 50 } }, axes: { 'init.alpha': { log: [0.05, 0.2], count: 3 }, 'target.seed': { seeds: 4, from: 1 } } };

let ctx: ReturnType<typeof extensionContext>;
let workspace: string;
beforeEach(() => {
  stub.resetStub();
  workspace = mkdtempSync(path.join(tmpdir(), 'dfl-sweeps-'));
  stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(workspace), name: 'ws', index: 0 }];
  ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
});
afterEach(() => {
  for (const d of ctx.subscriptions.splice(0)) d.dispose();
});

function sweepFile(name: string, content: unknown): stub.Uri {
  const file = path.join(workspace, 'sweeps', name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return stub.Uri.file(file);
}
const resultFiles = (dir: string) => readdirSync(dir).filter((f) => /^run-[0-9a-f]{16}\.json$/.test(f)).sort();
/** The hashes of the runs in a sweep folder's run store (one line per finished run). */
const storedRuns = (d: string): string[] =>
  existsSync(path.join(d, 'runs.jsonl'))
    ? readFileSync(path.join(d, 'runs.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
        .map((l) => (JSON.parse(l) as { hash: string }).hash)
        .sort()
    : [];
const summaryOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as { name: string; done: number; total: number; rows: { file: string; run: number; hash: string }[] };
const ready = (panel: stub.StubWebviewPanel) => panel.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
const settle = () => new Promise((r) => setTimeout(r, 20));
const runsTree = () => stub.recorded.treeViews.find((v) => v.id === 'deepFactorization.runs')!.options.treeDataProvider;

describe('sweep folders and the dfl child process (pure parts)', () => {
  it('puts a sweep file’s runs in sweeps/NAME beside the runs folder, the same folder on every rerun', () => {
    expect(sweepsFolderBeside('/w/.dfl/runs')).toBe(path.join('/w/.dfl/sweeps'));
    expect(sweepOutputFolder('/w/.dfl/sweeps', '/w/sweeps/Plateau α×Depth.dfl-sweep.json')).toBe(path.join('/w/.dfl/sweeps/plateau-depth'));
    expect(sweepOutputFolder('/w/.dfl/sweeps', '/elsewhere/plateau-gap.dfl-sweep.json')).toBe(path.join('/w/.dfl/sweeps/plateau-gap'));
  });

  it('reads dfl sweep’s stderr: progress lines, one-line errors, the rest as text', () => {
    expect(parseSweepLine('{"done":3,"total":4,"failed":1}')).toEqual({ kind: 'progress', done: 3, total: 4, failed: 1 });
    expect(parseSweepLine('dfl: f.dfl-sweep.json: axes["depth"][1]: spec.depth: value must be ≥ 1 (got 0)\r')).toEqual({ kind: 'error', message: 'f.dfl-sweep.json: axes["depth"][1]: spec.depth: value must be ≥ 1 (got 0)' });
    expect(parseSweepLine('{"done":-1,"total":4,"failed":0}')).toEqual({ kind: 'text', text: '{"done":-1,"total":4,"failed":0}' });
    expect(parseSweepLine('tiny: 4/4 runs in out, 4 run in 0.2 s')).toEqual({ kind: 'text', text: 'tiny: 4/4 runs in out, 4 run in 0.2 s' });
    expect(sweepProgressMessage({ done: 2, total: 4, failed: 0 })).toBe('2/4 runs');
    expect(sweepProgressMessage({ done: 2, total: 4, failed: 1 })).toBe('2/4 runs, 1 failed');
  });

  it('says what each exit of dfl sweep means', () => {
    const last = { done: 3, total: 4, failed: 1 };
    expect(sweepVerdict({ code: 0, signal: null, last: { ...last, done: 4, failed: 0 }, errors: [] }, 'tiny', 'out')).toEqual({ kind: 'complete', message: 'Sweep "tiny": 4/4 runs in out.' });
    expect(sweepVerdict({ code: 1, signal: null, last, errors: ['run 3 ({"depth":0}) failed: diverged'] }, 'tiny', 'out').message).toBe('Sweep "tiny": 3/4 runs, 1 failed (run 3 ({"depth":0}) failed: diverged); see the output channel.');
    expect(sweepVerdict({ code: 130, signal: null, last, errors: [] }, 'tiny', 'out')).toMatchObject({ kind: 'interrupted', message: expect.stringContaining('3/4 runs done and kept in out; Run Sweep again resumes it') });
    expect(sweepVerdict({ code: 2, signal: null, errors: ['f.dfl-sweep.json: invalid JSON'] }, 'f', 'out')).toEqual({ kind: 'failed', message: 'Run Sweep: f.dfl-sweep.json: invalid JSON' });
    expect(sweepVerdict({ code: null, signal: 'SIGKILL', errors: [] }, 'f', 'out').message).toBe('Run Sweep: dfl sweep was ended by SIGKILL');
  });

  it('opens only run-HASH.json files of the folder, and lists only folders with a summary', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dfl-sweep-list-'));
    mkdirSync(path.join(root, 'empty'));
    mkdirSync(path.join(root, 'broken'));
    writeFileSync(path.join(root, 'broken', 'summary.json'), '{"name": 3}');
    for (const file of ['../x.json', 'run-0123456789abcdef.json/..', 'summary.json', '/etc/passwd']) expect(() => readSweepRun(path.join(root, 'broken'), file), file).toThrow(/not a run of a sweep/);
    expect(() => readSweepRun(path.join(root, 'broken'), 'run-0123456789abcdef.json')).toThrow(/run-0123456789abcdef\.json: no such file/);
    const { sweeps, skipped } = listSweepFolders(root);
    expect(sweeps).toEqual([]);
    expect(skipped).toEqual([expect.stringMatching(/^broken\/summary\.json\.name: /)]);
  });
});

describe('Run Sweep…, the Lab’s Sweep view, the side view', () => {
  it('runs a sweep file with the bundled dfl, shows its progress, opens the Sweep view, and opens a cell’s run', async () => {
    const file = sweepFile('tiny.dfl-sweep.json', tiny);
    const api = activate(ctx as never);
    const out = path.join(workspace, '.dfl', 'sweeps', 'tiny');
    await stub.commands.executeCommand(COMMANDS.runSweep, file);

    expect(stub.recorded.messages.filter((m) => m.level !== 'info')).toEqual([]);
    expect(storedRuns(out)).toHaveLength(4);
    const summary = summaryOf(out);
    expect(summary).toMatchObject({ name: 'tiny', done: 4, total: 4 });
    expect(resultFiles(out)).toEqual([]);
    // Progress: a cancellable notification that counted to 4/4.
    expect(stub.recorded.progress).toHaveLength(1);
    expect(stub.recorded.progress[0]).toMatchObject({ title: 'Sweep tiny', cancellable: true, done: true });
    expect(stub.recorded.progress[0].reports.at(-1)?.message).toBe('4/4 runs');
    expect(stub.recorded.progress[0].reports.reduce((sum, r) => sum + (r.increment ?? 0), 0)).toBeCloseTo(100);
    expect(stub.recorded.messages).toEqual([{ level: 'info', text: `Sweep "tiny": 4/4 runs in ${out}.` }]);
    expect(api.runsFolder()).toBe(path.join(workspace, '.dfl', 'runs'));

    // The Lab: its own panel, the summary as a `sweep` message once the page is ready.
    expect(stub.recorded.panels).toHaveLength(1);
    const panel = stub.recorded.panels[0];
    expect(panel.title).toBe('Lab · sweep tiny');
    ready(panel);
    expect(panel.webview.posted).toEqual([expect.objectContaining({ type: 'sweep', title: 'tiny', summary: expect.objectContaining({ done: 4, total: 4, rows: summary.rows }) })]);

    // A cell's run: replayed into its result file, then loadResult with it; a run that is not the sweep's: an error notice.
    const row = summary.rows[2];
    panel.webview.receive({ type: 'openSweepRun', file: row.file });
    await vi.waitFor(() => expect((panel.webview.posted.at(-1) as { type?: string } | undefined)?.type).toBe('loadResult'), { timeout: 30_000, interval: 20 });
    const stored = JSON.parse(readFileSync(path.join(out, row.file), 'utf8'));
    expect(runResultSchema.safeParse(stored).success).toBe(true);
    expect(panel.webview.posted.at(-1)).toEqual({ type: 'loadResult', result: expect.objectContaining({ spec: stored.spec, steps: stored.steps }) });
    panel.webview.receive({ type: 'openSweepRun', file: 'run-0000000000000000.json' });
    await vi.waitFor(() => expect((panel.webview.posted.at(-1) as { type?: string } | undefined)?.type).toBe('notice'), { timeout: 30_000, interval: 20 });
    expect(panel.webview.posted.at(-1)).toEqual({ type: 'notice', level: 'error', text: expect.stringMatching(/^Cannot open this run of the sweep: --rerun: "0000000000000000" is no run of this sweep/) });
    // A name the protocol refuses never reaches the file system.
    const before = panel.webview.posted.length;
    panel.webview.receive({ type: 'openSweepRun', file: '../runs/x.json' });
    await settle();
    expect(panel.webview.posted).toHaveLength(before);
    expect(stub.recorded.log.some((l) => l.startsWith('warn ignored a message from the Lab') && l.includes('openSweepRun'))).toBe(true);

    // The scratch Lab shows no sweep: it still says so.
    await stub.commands.executeCommand(COMMANDS.openLab);
    const scratch = stub.recorded.panels[1];
    ready(scratch);
    scratch.webview.receive({ type: 'openSweepRun', file: row.file });
    await settle();
    expect(scratch.webview.posted.at(-1)).toMatchObject({ type: 'notice', level: 'warning', text: expect.stringContaining('This Lab shows no sweep folder') });

    // The side view: a Sweeps group with the folder and its counts; its item runs Show Sweep.
    const tree = runsTree();
    const top = tree.getChildren() as { kind: string }[];
    const group = top.find((n) => n.kind === 'sweeps')!;
    expect(tree.getTreeItem(group)).toMatchObject({ label: 'Sweeps', description: '1' });
    const [item] = tree.getChildren(group).map((n) => tree.getTreeItem(n));
    expect(item).toMatchObject({ label: 'tiny', description: '4/4 runs', contextValue: 'dfl.sweep', command: { command: COMMANDS.showSweep, arguments: [out] } });
    // Show Sweep from there reveals the same panel and sends the summary again.
    await stub.commands.executeCommand(item.command!.command, ...item.command!.arguments!);
    expect(stub.recorded.panels).toHaveLength(2);
    expect(panel.revealed).toBe(1);
    expect(panel.webview.posted.at(-1)).toMatchObject({ type: 'sweep', title: 'tiny' });

    // The CodeLens: Run Sweep, and Show Sweep now that the folder has a summary.
    const lenses = stub.recorded.codeLensProviders.flatMap((p) => p.provideCodeLenses({ fileName: file.fsPath, uri: file }));
    expect(lenses.map((l) => [l.command?.command, l.command?.arguments])).toEqual([
      [COMMANDS.runSweep, [file]],
      [COMMANDS.showSweep, [out]],
    ]);
    const other = sweepFile('never-run.dfl-sweep.json', tiny);
    expect(stub.recorded.codeLensProviders.flatMap((p) => p.provideCodeLenses({ fileName: other.fsPath, uri: other })).map((l) => l.command?.command)).toEqual([COMMANDS.runSweep]);

    // After a window reload the sweep panel comes back showing its sweep, and its cells still open runs.
    const title = panel.title;
    for (const d of ctx.subscriptions.splice(0)) d.dispose();
    expect(LabPanel.all()).toHaveLength(0);
    activate(ctx as never);
    const revived = stub.window.createWebviewPanel('deepFactorization.lab', title, 1, {});
    await stub.recorded.serializers.get('deepFactorization.lab')!.deserializeWebviewPanel(revived, undefined);
    ready(revived);
    expect(revived.webview.posted).toEqual([expect.objectContaining({ type: 'sweep', title: 'tiny' })]);
    revived.webview.receive({ type: 'openSweepRun', file: row.file });
    await settle();
    expect(revived.webview.posted.at(-1)).toMatchObject({ type: 'loadResult' });
  });

  it('Cancel stops the sweep with Ctrl-C: every result left is whole, and Run Sweep again finishes the rest', async () => {
    const file = sweepFile('slow.dfl-sweep.json', slow);
    activate(ctx as never);
    const out = path.join(workspace, '.dfl', 'sweeps', 'slow');
    const command = stub.commands.executeCommand(COMMANDS.runSweep, file);
    await vi.waitFor(() => expect(stub.recorded.progress[0]?.reports.some((r) => /^[2-9]\/12 runs/.test(r.message ?? ''))).toBe(true), { timeout: 60_000, interval: 20 });
    stub.recorded.progress[0].cancel();
    await command;

    const kept = storedRuns(out);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    expect(kept.length).toBeLessThan(12);
    expect(summaryOf(out).rows.map((r) => r.hash).sort()).toEqual(kept);
    expect(stub.recorded.messages).toEqual([{ level: 'info', text: expect.stringMatching(new RegExp(`^Sweep "slow" stopped: \\d+/12 runs done and kept in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; Run Sweep again resumes it\\.$`)) }]);
    // Cancelled: no Lab is opened.
    expect(stub.recorded.panels).toEqual([]);

    // Rerun: the kept runs are not redone (their lines stay as they were), the rest are added.
    const lines = readFileSync(path.join(out, 'runs.jsonl'), 'utf8');
    await stub.commands.executeCommand(COMMANDS.runSweep, file);
    expect(storedRuns(out)).toHaveLength(12);
    expect(readFileSync(path.join(out, 'runs.jsonl'), 'utf8').startsWith(lines)).toBe(true);
    expect(summaryOf(out)).toMatchObject({ done: 12, total: 12 });
    expect(stub.recorded.messages.at(-1)).toEqual({ level: 'info', text: `Sweep "slow": 12/12 runs in ${out}.` });
  });

  it('shows the CLI’s one-line error as one error message, and writes nothing', async () => {
    const file = sweepFile('bad.dfl-sweep.json', { ...tiny, axes: { depth: [2, 0] } });
    activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.runSweep, file);
    expect(stub.recorded.messages).toEqual([{ level: 'error', text: `Deep Factorization: Run Sweep: ${file.fsPath}: axes["depth"][1]: spec.depth: value must be ≥ 1 (got 0)` }]);
    expect(existsSync(path.join(workspace, '.dfl', 'sweeps', 'bad'))).toBe(false);
    expect(stub.recorded.panels).toEqual([]);
  });

  it('runs MNIST targets from the shipped subset (the installed extension has no mnist package)', async () => {
    const mnist = { name: 'digits', base: { n: 28, depth: 2, target: { kind: 'mnist', digit: 3, index: 0 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 20, log: { points: 5 } }, axes: { 'target.index': [0, 150] } };
    const file = sweepFile('digits.dfl-sweep.json', mnist);
    activate(ctx as never);
    const out = path.join(workspace, '.dfl', 'sweeps', 'digits');
    await stub.commands.executeCommand(COMMANDS.runSweep, file);
    // Sample 0 runs; sample 150 is past the subset's 100 per digit, and its error says so: the
    // digits came from dist/mnist-subset.json, not from a package the vsix does not ship.
    expect(storedRuns(out)).toHaveLength(1);
    const warning = stub.recorded.messages.find((m) => m.level === 'warning');
    expect(warning?.text).toMatch(/1\/2 runs, 1 failed .*the extension ships the first 100 samples of each MNIST digit \(got sample 150 of digit 3/);
  });

  it('is refused in an untrusted workspace; Show Sweep without sweeps says there are none', async () => {
    const file = sweepFile('tiny.dfl-sweep.json', tiny);
    stub.workspace.isTrusted = false;
    activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.runSweep, file);
    expect(stub.recorded.messages).toEqual([expect.objectContaining({ level: 'warning', text: expect.stringContaining('Run Sweep needs a trusted workspace') })]);
    expect(stub.recorded.progress).toEqual([]);
    // The lens says why, and offers no Show Sweep while there is nothing to show.
    const lenses = stub.recorded.codeLensProviders.flatMap((p) => p.provideCodeLenses({ fileName: file.fsPath, uri: file }));
    expect(lenses.map((l) => l.command?.command)).toEqual(['workbench.trust.manage']);
    await stub.commands.executeCommand(COMMANDS.showSweep);
    expect(stub.recorded.messages.at(-1)).toMatchObject({ level: 'info', text: expect.stringMatching(/^No sweeps yet in /) });
  });
});
