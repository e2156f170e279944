import * as vscode from 'vscode';
import type { PropertyReport, RunSettings } from '../../property-tests/runner';
import { TEST_CONTROLLER_ID } from '../ids';
import { claimErrorMessage, claimReportToOutcome } from './claimMessages';
import { ClaimItems, readClaimText } from './claimItems';
import type { ClaimCheckOptions, ClaimReport } from '../../property-tests';
import { reportToOutcome, type Counterexample } from './testMessages';

// The theory properties and the workspace's claim files in the Test Explorer
// (test-provider-sample): one TestItem per theorem and per claim file, created lazily by the
// resolve handler (claim files then kept by a watcher, ./claimItems.ts), each runnable on its
// own; `run.token` is checked between items and cancels a claim's cases, and `run.end()` always
// runs. Check Theory and Check Claim go through the same path.

export interface TheoryInfo {
  name: string;
  claim: string;
}

export interface TheoryRunner {
  list(): TheoryInfo[];
  check(name: string, settings: RunSettings): Promise<PropertyReport>;
  settings(): RunSettings;
}

export interface ClaimRunner {
  /** Parses a claim file's text and checks the claim; a bad claim throws its one line (with its position) before any case runs. */
  check(text: string, file: string, options: ClaimCheckOptions): Promise<ClaimReport>;
}

/** One claim file's run: its report, or the one line that says why it did not run. */
export interface ClaimRun {
  id: string;
  uri: vscode.Uri;
  report?: ClaimReport;
  error?: string;
}

export interface TheoryRunResult {
  reports: PropertyReport[];
  /** Properties not run (cancelled). */
  skipped: string[];
  claims: ClaimRun[];
  cancelled: boolean;
  settings: RunSettings;
}

/** Where a run is: item `index` of `total`, and within a claim its cases. */
export interface TheoryProgress {
  index: number;
  total: number;
  name: string;
  cases?: { done: number; total: number };
}

export class TheoryTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly claims: ClaimItems;
  private readonly data = new WeakMap<vscode.TestItem, TheoryInfo>();
  /** The counterexample of each failed message, for the message's "Open in the Lab" action. */
  private readonly messageCounterexamples = new WeakMap<vscode.TestMessage, Counterexample>();
  /** The latest counterexample of each item, by item id (a property's name, a claim's id). */
  private readonly counterexamples = new Map<string, Counterexample>();
  private readonly counterexamplesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCounterexamples = this.counterexamplesChanged.event;

  constructor(
    private readonly runner: TheoryRunner,
    private readonly claimRunner: ClaimRunner,
    private readonly onFinished: (result: TheoryRunResult) => void,
    private readonly log: (line: string) => void,
  ) {
    this.controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Deep Factorization theory');
    this.claims = new ClaimItems(this.controller);
    this.controller.resolveHandler = async (item) => {
      if (item) return;
      this.ensureItems();
      await this.claims.watch();
    };
    this.controller.refreshHandler = async () => {
      this.ensureItems(true);
      await this.claims.watch();
    };
    this.controller.createRunProfile('Check', vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token).then(() => undefined), true);
  }

  /** One TestItem per theorem (made once, on demand; claim items are kept); returns the theorems' items. */
  ensureItems(force = false): vscode.TestItem[] {
    const theorems = this.theoremItems();
    if (force || theorems.length === 0) {
      const items = this.runner.list().map((info) => {
        const item = this.controller.createTestItem(info.name, info.name);
        item.description = info.claim;
        this.data.set(item, info);
        return item;
      });
      const claims: vscode.TestItem[] = [];
      this.controller.items.forEach((item) => {
        if (this.claims.uriOf(item)) claims.push(item);
      });
      this.controller.items.replace([...items, ...claims]);
      return items;
    }
    return theorems;
  }

  private theoremItems(): vscode.TestItem[] {
    const out: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => {
      if (this.data.has(item)) out.push(item);
    });
    return out;
  }

  /** The item of a claim file (found by the watcher, or made now). */
  claimItem(uri: vscode.Uri): Promise<vscode.TestItem> {
    return this.claims.item(uri);
  }

  /** Runs the requested items (all: every theorem and claim file) as one TestRun. */
  async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken, progress?: (p: TheoryProgress) => void): Promise<TheoryRunResult> {
    this.ensureItems();
    if (!request.include) await this.claims.watch();
    const all: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => all.push(item));
    const excluded = new Set(request.exclude ?? []);
    const items = (request.include ?? all).filter((item) => !excluded.has(item) && (this.data.has(item) || this.claims.uriOf(item)));
    const run = this.controller.createTestRun(request, 'Theory check', true);
    const settings = this.runner.settings();
    const reports: PropertyReport[] = [];
    const skipped: string[] = [];
    const claims: ClaimRun[] = [];
    items.forEach((item) => run.enqueued(item));
    try {
      for (const [index, item] of items.entries()) {
        const info = this.data.get(item);
        if (token.isCancellationRequested) {
          run.skipped(item);
          if (info) skipped.push(info.name);
          continue;
        }
        progress?.({ index, total: items.length, name: item.label });
        if (info) {
          const report = await this.runTheorem(item, info, run, settings);
          if (report) reports.push(report);
        } else {
          const uri = this.claims.uriOf(item)!;
          claims.push(await this.runClaim(item, uri, run, token, settings.seed, (done, total) => progress?.({ index, total: items.length, name: item.label, cases: { done, total } })));
        }
        // Let the cancel button and the UI breathe between items.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      run.end();
    }
    const result: TheoryRunResult = { reports, skipped, claims, cancelled: token.isCancellationRequested, settings };
    // The theory check record (Runs view, report) is about the paper's properties.
    if (items.some((item) => this.data.has(item))) this.onFinished(result);
    return result;
  }

  private async runTheorem(item: vscode.TestItem, info: TheoryInfo, run: vscode.TestRun, settings: RunSettings): Promise<PropertyReport | undefined> {
    run.started(item);
    let report: PropertyReport;
    try {
      report = await this.runner.check(info.name, settings);
    } catch (error) {
      run.errored(item, new vscode.TestMessage(`${info.name}: ${(error as Error).message}`));
      this.log(`theory: ${info.name} errored: ${(error as Error).message}`);
      return undefined;
    }
    const outcome = reportToOutcome(report);
    if (outcome.kind === 'passed') {
      run.appendOutput(`${info.name}: ${outcome.summary}\r\n`, undefined, item);
      run.passed(item, outcome.duration);
      this.forget(info.name);
    } else {
      if (outcome.counterexample) this.remember(info.name, { spec: outcome.counterexample }, [outcome.message]);
      run.appendOutput(`${info.name}: FAILED ${report.counterexample?.message ?? ''}\r\n`, undefined, item);
      run.failed(item, outcome.message, outcome.duration);
    }
    this.log(`theory: ${info.name} ${report.failed ? 'FAILED' : 'ok'} (${report.passed} passed, ${report.hypothesisNotMet} hypothesis not met, ${report.seconds.toFixed(1)} s)`);
    return report;
  }

  private async runClaim(item: vscode.TestItem, uri: vscode.Uri, run: vscode.TestRun, token: vscode.CancellationToken, seed: number, onCase: (done: number, total: number) => void): Promise<ClaimRun> {
    const name = item.label;
    run.started(item);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    let text: string;
    let report: ClaimReport;
    try {
      text = await readClaimText(uri);
      // Named as the workspace shows it, in the report and in a bad claim's one line.
      report = await this.claimRunner.check(text, vscode.workspace.asRelativePath(uri, false), { seed, signal: abort.signal, onCase });
    } catch (error) {
      if (token.isCancellationRequested) {
        run.skipped(item);
        return { id: item.id, uri, error: 'cancelled' };
      }
      const message = claimErrorMessage(error, uri);
      run.errored(item, message);
      const text = typeof message.message === 'string' ? message.message : message.message.value;
      run.appendOutput(`${name}: ${text}\r\n`, undefined, item);
      this.log(`claim: ${name} errored: ${text}`);
      return { id: item.id, uri, error: text };
    } finally {
      cancel.dispose();
    }
    // Cases cut short by the cancel say nothing about the claim.
    if (abort.signal.aborted) {
      run.skipped(item);
      return { id: item.id, uri, error: 'cancelled' };
    }
    const outcome = claimReportToOutcome(report, { id: item.id, uri, text });
    if (outcome.kind === 'passed') {
      run.appendOutput(`${report.name}: ${outcome.summary}\r\n`, undefined, item);
      run.passed(item, outcome.duration);
      this.forget(item.id);
    } else {
      if (outcome.counterexample) this.remember(item.id, outcome.counterexample, outcome.messages);
      else this.forget(item.id);
      run.appendOutput(`${report.name}: FAILS ${report.counterexample?.violation.message ?? report.note ?? outcome.summary}\r\n`, undefined, item);
      run.failed(item, outcome.messages, outcome.duration);
    }
    this.log(`claim: ${report.name} ${report.status === 'holds' ? 'holds' : 'FAILS'}: ${outcome.summary} (${report.seconds.toFixed(1)} s)`);
    return { id: item.id, uri, report };
  }

  private remember(id: string, counterexample: Counterexample, messages: readonly vscode.TestMessage[]): void {
    for (const m of messages) this.messageCounterexamples.set(m, counterexample);
    this.counterexamples.set(id, counterexample);
    this.counterexamplesChanged.fire();
  }

  private forget(id: string): void {
    if (this.counterexamples.delete(id)) this.counterexamplesChanged.fire();
  }

  /**
   * The counterexample behind an action: a test message's (`{ message }`), a property's latest
   * (`{ property }`), a claim file's latest (`{ claim }`, its item id), or an item's (`{ test }`).
   */
  counterexample(arg: unknown): Counterexample | undefined {
    if (arg && typeof arg === 'object') {
      const { message, property, claim, test } = arg as { message?: vscode.TestMessage; property?: unknown; claim?: unknown; test?: vscode.TestItem };
      if (message && this.messageCounterexamples.has(message)) return this.messageCounterexamples.get(message);
      if (typeof property === 'string') return this.counterexamples.get(property);
      if (typeof claim === 'string') return this.counterexamples.get(claim);
      if (test) return this.counterexamples.get(test.id);
    }
    return undefined;
  }

  hasCounterexample(id: string): boolean {
    return this.counterexamples.has(id);
  }

  rememberCounterexamples(reports: readonly PropertyReport[]): void {
    for (const r of reports) if (r.counterexample) this.counterexamples.set(r.name, { spec: r.counterexample.spec });
  }

  dispose(): void {
    this.claims.dispose();
    this.counterexamplesChanged.dispose();
    this.controller.dispose();
  }
}
