import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../../core/result';
import type { ClaimReport } from '../../property-tests';
import { extensionContext, fakeEngine, smallResult } from './fixtures';
import * as stub from './vscodeStub';

// Claim files in the Test Explorer, against a stand-in claim engine: found by the resolve handler
// and kept by the watcher beside the paper's properties, run one by one (cancellation reaches the
// engine, the run always ends), a failure placed on the false expression with its values and
// the counterexample, which opens in the Lab with the violation marked; Check Claim and its lens
// work in an untrusted workspace.
vi.mock('vscode', () => import('./vscodeStub'));

const { claimReportToOutcome, claimSummary, expectedActual, locateExpression, violationMark, wherePhrase, claimErrorMessage } = await import('../../extension/theory/claimMessages');
const { TheoryTests } = await import('../../extension/theory/theoryTests');
const { claimItemId, claimLabel } = await import('../../extension/theory/claimItems');
const { ClaimCodeLensProvider } = await import('../../extension/editor/codeLens');
const { activate } = await import('../../extension/extension');
const { setCompute } = await import('../../extension/compute/computeLoader');
const { COMMANDS, COUNTEREXAMPLE_CONTEXT } = await import('../../extension/ids');

let result: RunResult;
beforeAll(async () => {
  result = await smallResult();
});
beforeEach(() => stub.resetStub());

const CLAIM = `{
  "name": "erank-never-rises",
  "kind": "theorem",
  "statement": "The entropy rank never rises after its minimum",
  "domain": { "base": { "n": 4 }, "generate": { "depth": { "integer": [1, 4] } } },
  "expect": "points.all(i, i <= argmin(erank) || erank[i] <= erank[i - 1] + 1e-9)"
}
`;

const holds = (): ClaimReport => ({ file: 'a.dfl-claim.json', name: 'erank-never-rises', kind: 'theorem', statement: 'never rises', status: 'holds', cases: 20, applicable: 20, holding: 20, seconds: 2 });
const fails = (where: ClaimReport['counterexample'] extends infer C ? (C extends { violation: { where: infer W } } ? W : never) : never = { step: 310 }): ClaimReport => ({
  ...holds(),
  status: 'fails',
  holding: 17,
  counterexample: {
    spec: result.spec,
    violation: {
      where,
      expression: 'erank[i] <= erank[i - 1] + 1e-9',
      values: { i: 31, step: 310, 'erank[i]': 1.52, 'erank[i - 1] + 1e-9': 1.4900000001 },
      message: 'false at step 310: erank[i] <= erank[i - 1] + 1e-9  (i = 31, erank[i] = 1.52, erank[i - 1] + 1e-9 = 1.49)',
    },
    shrinks: 12,
    seed: 1,
  },
});

describe('claim reports → Test Explorer messages', () => {
  it('summarizes theorems by cases and observations by frequency with the 95 % interval', () => {
    expect(claimSummary(holds())).toBe('holds on all 20 cases');
    expect(claimSummary({ ...holds(), applicable: 15 })).toBe('holds on all 15 cases (given held on 15 of 20)');
    expect(claimSummary(fails())).toBe('false on 3 of 20 cases');
    expect(claimSummary({ ...holds(), kind: 'observation', status: 'fails', holding: 12, required: 0.8, interval: { low: 0.387, high: 0.781 } })).toBe('12 of 20 cases (95 % interval 38.7 %–78.1 %), at least 80 % required');
  });

  it('says where, and marks the step or the interval of steps that lies within the run', () => {
    expect(wherePhrase({ step: 3, component: 2 })).toBe('step 3, component 2');
    expect(wherePhrase({ plateau: 1, steps: [10, 40] })).toBe('plateau 1, steps 10–40');
    expect(wherePhrase({})).toBe('');
    const v = fails().counterexample!.violation;
    expect(violationMark(v, 1500)).toEqual({ step: 310, label: v.message });
    expect(violationMark({ ...v, where: { plateau: 0, steps: [100, 400] } }, 1500)).toEqual({ steps: [100, 400], label: v.message });
    expect(violationMark({ ...v, where: { component: 2 } }, 1500)).toBeUndefined();
    expect(violationMark(v, 300)).toBeUndefined();
    expect(violationMark({ ...v, message: 'x'.repeat(900) }, 1500)?.label).toHaveLength(500);
  });

  it('finds the false part inside the expect string of the file, else the string itself', () => {
    const at = locateExpression(CLAIM, 'erank[i] <= erank[i - 1] + 1e-9')!;
    expect(CLAIM.split('\n')[at.line].slice(at.character)).toMatch(/^erank\[i\] <= erank\[i - 1\] \+ 1e-9\)"$/);
    const whole = locateExpression(CLAIM, 'not in the file')!;
    expect(CLAIM.split('\n')[whole.line].slice(whole.character)).toMatch(/^"points\.all/);
    // Written with escapes in the file: found as written.
    const escaped = `{"name": "x", "expect": "note == \\"a\\\\b\\""}`;
    expect(locateExpression(escaped, 'note == "a\\b"')).toEqual({ line: 0, character: escaped.indexOf('note') });
    // A part that occurs only outside the expect string (in the statement) is not taken.
    expect(locateExpression(`{"statement": "erank", "expect": "loss <= 1.0"}`, 'erank')).toEqual({ line: 0, character: 33 });
    expect(locateExpression('{"name": "x"}', 'x')).toBeUndefined();
  });

  it('puts the values into the false comparison, whole names only', () => {
    expect(expectedActual(fails().counterexample!.violation)).toEqual({ expected: 'erank[i] <= erank[i - 1] + 1e-9', actual: '1.52 <= 1.49' });
    expect(expectedActual({ where: {}, expression: 'points.size() > i', values: { i: 3, 'points.size()': 2 }, message: '' })).toEqual({ expected: 'points.size() > i', actual: '2 > 3' });
    expect(expectedActual({ where: {}, expression: 'ok', values: { ok: false }, message: '' })).toBeUndefined();
  });

  it('a failure is placed on the false expression, lists the values and the counterexample, and offers the Lab', () => {
    const uri = stub.Uri.file('/w/claims/a.dfl-claim.json');
    const outcome = claimReportToOutcome(fails(), { id: claimItemId(uri as never), uri: uri as never, text: CLAIM });
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    const [explanation, diff] = outcome.messages as unknown as stub.TestMessage[];
    const text = (explanation.message as stub.MarkdownString).value;
    expect(text).toContain('**erank-never-rises** fails: false at step 310');
    expect(text).toContain('12 shrinks, seed 1');
    expect(text).toContain(JSON.stringify(result.spec, null, 2));
    expect(text).toContain(`command:${COMMANDS.openCounterexample}?${encodeURIComponent(JSON.stringify([{ claim: claimItemId(uri as never) }]))}`);
    expect(diff).toMatchObject({ expectedOutput: 'erank[i] <= erank[i - 1] + 1e-9', actualOutput: '1.52 <= 1.49', message: 'erank[i] <= erank[i - 1] + 1e-9 is false at step 310' });
    const at = locateExpression(CLAIM, 'erank[i] <= erank[i - 1] + 1e-9')!;
    for (const m of [explanation, diff]) {
      expect(m.contextValue).toBe(COUNTEREXAMPLE_CONTEXT);
      expect(m.location).toMatchObject({ uri, range: { line: at.line, character: at.character } });
    }
    expect(outcome.counterexample).toEqual({ spec: result.spec, mark: { step: 310, label: fails().counterexample!.violation.message }, baseDir: '/w/claims', title: 'counterexample of erank-never-rises' });
  });

  it('a theorem whose given never held fails with the note, and no counterexample', () => {
    const uri = stub.Uri.file('/w/a.dfl-claim.json');
    const outcome = claimReportToOutcome({ ...holds(), status: 'fails', applicable: 0, holding: 0, note: 'given held on none of the 20 cases: nothing was checked' }, { id: 'claim:x', uri: uri as never, text: CLAIM });
    expect(outcome.kind === 'failed' && outcome.counterexample).toBeUndefined();
    expect(outcome.kind === 'failed' && ((outcome.messages[0] as unknown as stub.TestMessage).message as stub.MarkdownString).value).toContain('given held on none of the 20 cases');
  });

  it('a bad claim is its one line, placed at its position', () => {
    const uri = stub.Uri.file('/w/a.dfl-claim.json');
    const error = Object.assign(new Error('a.dfl-claim.json:6:13: unknown name "erankk"'), { name: 'ClaimError', position: { line: 6, column: 13 } });
    expect(claimErrorMessage(error, uri as never)).toMatchObject({ message: 'a.dfl-claim.json:6:13: unknown name "erankk"', location: { uri, range: { line: 5, character: 12 } } });
    expect((claimErrorMessage(new Error('no position'), uri as never) as unknown as stub.TestMessage).location).toBeUndefined();
  });
});

describe('claim files in the Test Explorer', () => {
  const workspace = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dfl-claims-'));
    const file = (name: string, text: string) => {
      const uri = stub.Uri.file(path.join(root, name));
      writeFileSync(uri.fsPath, text);
      stub.recorded.written.set(uri.fsPath, new TextEncoder().encode(text));
      return uri;
    };
    return { root, file };
  };
  const theories = { list: () => [{ name: 'intervals-ordered', claim: 'ordered' }], check: vi.fn(async (name: string) => ({ name, claim: 'ordered', passed: 2, failed: 0, hypothesisNotMet: 0, seconds: 0.1, statistics: {} })), settings: () => ({ runs: 2, seed: 7, maxN: 8 }) };
  type Controller = ReturnType<typeof stub.tests.createTestController>;
  const controllerOf = (tests: InstanceType<typeof TheoryTests>) => tests.controller as unknown as Controller;
  const ids = (c: Controller) => {
    const out: string[] = [];
    c.items.forEach((i) => out.push(i.id));
    return out;
  };

  it('appear beside the properties on the first resolve, and follow the watcher: new, edited, deleted', async () => {
    const { file } = workspace();
    const a = file('a.dfl-claim.json', CLAIM);
    stub.recorded.files = [a, stub.Uri.file('/elsewhere/exp.dfl.json')];
    const tests = new TheoryTests(theories, { check: vi.fn() }, () => undefined, () => undefined);
    const c = controllerOf(tests);
    expect(c.items.size).toBe(0);
    await c.resolveHandler?.();
    expect(ids(c)).toEqual(['intervals-ordered', claimItemId(a as never)]);
    const item = c.items.get(claimItemId(a as never))!;
    expect(item).toMatchObject({ label: 'erank-never-rises', description: `${a.fsPath}: The entropy rank never rises after its minimum`, uri: a });
    expect(stub.recorded.watchers.map((w) => w.glob)).toEqual(['**/*.dfl-claim.json']);

    // A second resolve does not look again; a new file comes through the watcher.
    await c.resolveHandler?.();
    expect(stub.recorded.watchers).toHaveLength(1);
    const b = file('b.dfl-claim.json', '{ "name": "broken", ');
    stub.recorded.watchers[0].create.fire(b);
    await vi.waitFor(() => expect(c.items.get(claimItemId(b as never))).toMatchObject({ label: 'b' }));

    // Edited: relabelled, its last result outdated.
    const edited = CLAIM.replace('erank-never-rises', 'renamed');
    stub.recorded.written.set(a.fsPath, new TextEncoder().encode(edited));
    stub.recorded.watchers[0].change.fire(a);
    await vi.waitFor(() => expect(item.label).toBe('renamed'));
    expect(c.invalidated).toEqual([claimItemId(a as never)]);

    // An open editor's unsaved text wins over the file's.
    stub.workspace.textDocuments = [{ uri: a, getText: () => CLAIM.replace('erank-never-rises', 'unsaved') }];
    stub.recorded.watchers[0].change.fire(a);
    await vi.waitFor(() => expect(item.label).toBe('unsaved'));

    stub.recorded.watchers[0].delete.fire(b);
    expect(ids(c)).toEqual(['intervals-ordered', claimItemId(a as never)]);
    // Refreshing the properties keeps the claims.
    tests.ensureItems(true);
    expect(ids(c)).toEqual(['intervals-ordered', claimItemId(a as never)]);
    tests.dispose();
    expect(stub.recorded.watchers[0].disposed).toBe(true);
  });

  it('labels a file it cannot read as JSON by its name', () => {
    expect(claimLabel('{ "name": "x", "statement": "s" }')).toEqual({ name: 'x', statement: 's' });
    expect(claimLabel('{ "name": 3 }')).toEqual({ name: undefined, statement: undefined });
    expect(claimLabel('not json')).toEqual({});
  });

  it('runs each claim with the seed setting and the file as the workspace names it; failures carry their counterexample', async () => {
    const { file } = workspace();
    const a = file('a.dfl-claim.json', CLAIM);
    const b = file('b.dfl-claim.json', CLAIM.replace('erank-never-rises', 'other'));
    stub.recorded.files = [a, b];
    const check = vi.fn(async (_text: string, name: string, options: { onCase?: (d: number, t: number) => void }) => {
      options.onCase?.(1, 2);
      options.onCase?.(2, 2);
      return name.endsWith('a.dfl-claim.json') ? fails() : holds();
    });
    const finished = vi.fn();
    const tests = new TheoryTests(theories, { check }, finished, () => undefined);
    const c = controllerOf(tests);
    await c.resolveHandler?.();
    const progress = vi.fn();
    const items = [c.items.get(claimItemId(a as never))!, c.items.get(claimItemId(b as never))!];
    const outcome = await tests.runRequest(new stub.TestRunRequest(items) as never, new stub.CancellationTokenSource().token as never, progress);
    expect(check.mock.calls.map(([text, name, options]) => [text, name, (options as { seed: number }).seed])).toEqual([
      [CLAIM, a.fsPath, 7],
      [CLAIM.replace('erank-never-rises', 'other'), b.fsPath, 7],
    ]);
    expect(progress).toHaveBeenCalledWith({ index: 0, total: 2, name: 'erank-never-rises', cases: { done: 2, total: 2 } });
    const run = stub.recorded.runs[0];
    expect(run.events.filter((e) => e.kind !== 'enqueued').map((e) => `${e.kind}:${e.id}`)).toEqual([`started:${items[0].id}`, `failed:${items[0].id}`, `started:${items[1].id}`, `passed:${items[1].id}`]);
    expect(run.events.find((e) => e.kind === 'failed')!.messages).toHaveLength(2);
    expect(run.output.join('')).toMatch(/erank-never-rises: FAILS false at step 310/);
    expect(run.ended).toBe(true);
    expect(outcome.claims.map((r) => r.report?.status)).toEqual(['fails', 'holds']);
    // Only claims ran: the theory check record is left as it was.
    expect(finished).not.toHaveBeenCalled();
    // Every action finds the counterexample: the message's, the claim's id, the item.
    const failed = run.events.find((e) => e.kind === 'failed')!;
    const expected = { spec: result.spec, mark: { step: 310, label: fails().counterexample!.violation.message }, baseDir: path.dirname(a.fsPath), title: 'counterexample of erank-never-rises' };
    expect(tests.counterexample({ message: failed.messages![1] })).toEqual(expected);
    expect(tests.counterexample({ claim: items[0].id })).toEqual(expected);
    expect(tests.counterexample({ test: items[0] })).toEqual(expected);
    expect(tests.hasCounterexample(items[1].id)).toBe(false);
  });

  it('a bad claim errors at its position; cancelling reaches the engine, skips the rest and still ends the run', async () => {
    const { file } = workspace();
    const bad = file('bad.dfl-claim.json', CLAIM);
    const slow = file('slow.dfl-claim.json', CLAIM);
    const rest = file('rest.dfl-claim.json', CLAIM);
    const source = new stub.CancellationTokenSource();
    let signal: AbortSignal | undefined;
    const check = vi.fn(async (_text: string, name: string, options: { signal?: AbortSignal }) => {
      if (name.endsWith('bad.dfl-claim.json')) throw Object.assign(new Error(`${name}:6:13: unknown name "erankk"`), { position: { line: 6, column: 13 } });
      signal = options.signal;
      source.cancel();
      // The engine stops its cases when the signal aborts, and may still return a report of what ran: not shown as a result.
      expect(options.signal?.aborted).toBe(true);
      return { ...fails(), holding: 0 };
    });
    const tests = new TheoryTests(theories, { check }, () => undefined, () => undefined);
    const c = controllerOf(tests);
    const items = await Promise.all([bad, slow, rest].map((u) => tests.claimItem(u as never)));
    await tests.runRequest(new stub.TestRunRequest(items as never) as never, source.token as never);
    const run = stub.recorded.runs[0];
    expect(run.events.filter((e) => e.kind !== 'enqueued').map((e) => e.kind)).toEqual(['started', 'errored', 'started', 'skipped', 'skipped']);
    expect(run.events.find((e) => e.kind === 'errored')!.message).toMatchObject({ message: `${bad.fsPath}:6:13: unknown name "erankk"`, location: { uri: bad, range: { line: 5, character: 12 } } });
    expect(signal?.aborted).toBe(true);
    expect(check).toHaveBeenCalledTimes(2);
    expect(run.ended).toBe(true);
    // The three claims beside the one property.
    expect(c.items.size).toBe(4);
  });

  it('the lens checks a claim in any workspace, and offers the counterexample once there is one', () => {
    let has = false;
    const lenses = new ClaimCodeLensProvider(() => has);
    const uri = stub.Uri.file('/w/a.dfl-claim.json');
    const titles = () => lenses.provideCodeLenses({ fileName: uri.fsPath, uri } as never).map((l) => (l as unknown as stub.CodeLens).command);
    expect(titles()).toEqual([{ title: '$(beaker) Check Claim', command: COMMANDS.checkClaim, arguments: [uri], tooltip: expect.any(String) }]);
    has = true;
    expect(titles()[1]).toMatchObject({ title: '$(graph-line) Open Counterexample in the Lab', command: COMMANDS.openCounterexample, arguments: [{ claim: claimItemId(uri as never) }] });
    expect(lenses.provideCodeLenses({ fileName: '/w/a.dfl.json', uri } as never)).toEqual([]);
  });
});

describe('Check Claim in an untrusted workspace', () => {
  let ctx: ReturnType<typeof extensionContext>;
  afterEach(() => {
    for (const d of ctx?.subscriptions.splice(0) ?? []) d.dispose();
    setCompute(undefined);
  });

  it('runs the claim (no trust asked), and a failure opens its counterexample in the Lab with the violation marked', async () => {
    stub.workspace.isTrusted = false;
    const root = mkdtempSync(path.join(tmpdir(), 'dfl-claims-'));
    stub.workspace.workspaceFolders = [{ uri: stub.Uri.file(root), name: 'ws', index: 0 }];
    const claim = stub.Uri.file(path.join(root, 'claims', 'a.dfl-claim.json'));
    stub.recorded.written.set(claim.fsPath, new TextEncoder().encode(CLAIM));
    const engine = { ...fakeEngine(result), checkClaimFile: vi.fn(async () => fails()) };
    setCompute(engine as never);
    ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
    activate(ctx as never);
    expect(stub.recorded.codeLensProviders.some((p) => p.provideCodeLenses({ fileName: claim.fsPath, uri: claim }).some((l) => l.command?.command === COMMANDS.checkClaim))).toBe(true);

    stub.recorded.answers.push('Open Counterexample in the Lab');
    const outcome = (await stub.commands.executeCommand(COMMANDS.checkClaim, claim)) as { report?: ClaimReport };
    expect(outcome.report?.status).toBe('fails');
    expect(engine.checkClaimFile).toHaveBeenCalledWith(CLAIM, claim.fsPath, expect.objectContaining({ seed: 1 }));
    expect(stub.recorded.messages.filter((m) => /trusted workspace/.test(m.text))).toEqual([]);
    expect(stub.recorded.messages.at(-1)).toMatchObject({ level: 'warning', text: expect.stringMatching(/^Deep Factorization: the claim erank-never-rises fails: false at step 310/), buttons: ['Open Counterexample in the Lab'] });
    // The answer opens the Lab on the counterexample, its violation marked.
    await vi.waitFor(() => expect(stub.recorded.panels).toHaveLength(1));
    const lab = stub.recorded.panels[0];
    lab.webview.receive({ type: 'ready', protocol: 2, backend: 'webgl' });
    expect(lab.webview.posted).toContainEqual(expect.objectContaining({ type: 'run', spec: expect.objectContaining({ n: result.spec.n }), mark: { step: 310, label: fails().counterexample!.violation.message } }));
    // The lens now offers the counterexample too.
    const lensTitles = stub.recorded.codeLensProviders.flatMap((p) => p.provideCodeLenses({ fileName: claim.fsPath, uri: claim }).map((l) => l.command?.title));
    expect(lensTitles).toContain('$(graph-line) Open Counterexample in the Lab');
    // The properties' check record is untouched by a claim.
    expect(ctx.workspaceState.get('dfl.lastCheck')).toBeUndefined();
  });

  it('refuses a file that is not a claim file, in one line', async () => {
    ctx = extensionContext(mkdtempSync(path.join(tmpdir(), 'dfl-global-')));
    setCompute({ ...fakeEngine(result), checkClaimFile: vi.fn() } as never);
    activate(ctx as never);
    await stub.commands.executeCommand(COMMANDS.checkClaim, stub.Uri.file('/w/exp.dfl.json'));
    expect(stub.recorded.messages).toEqual([{ level: 'error', text: 'Deep Factorization: Check Claim checks a claim file (*.dfl-claim.json): open one, or use the lens at its top' }]);
  });
});
