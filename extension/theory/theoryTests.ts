import * as vscode from 'vscode';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { PropertyReport, RunSettings } from '../../property-tests/runner';
import { TEST_CONTROLLER_ID } from '../ids';
import { reportToOutcome } from './testMessages';

// The theory properties in the Test Explorer (test-provider-sample): one TestItem per theorem,
// created lazily by the resolve handler, each runnable on its own; `run.token` is checked
// between properties and `run.end()` always runs. Check Theory goes through the same path.

export interface TheoryInfo {
  name: string;
  claim: string;
}

export interface TheoryRunner {
  list(): TheoryInfo[];
  check(name: string, settings: RunSettings): Promise<PropertyReport>;
  settings(): RunSettings;
}

export interface TheoryRunResult {
  reports: PropertyReport[];
  skipped: string[];
  cancelled: boolean;
  settings: RunSettings;
}

export class TheoryTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly data = new WeakMap<vscode.TestItem, TheoryInfo>();
  /** The counterexample of each failed message, for the message's "Open in the Lab" action. */
  private readonly messageSpecs = new WeakMap<vscode.TestMessage, ExperimentSpec>();
  private readonly counterexamples = new Map<string, ExperimentSpec>();

  constructor(
    private readonly runner: TheoryRunner,
    private readonly onFinished: (result: TheoryRunResult) => void,
    private readonly log: (line: string) => void,
  ) {
    this.controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'Deep Factorization theory');
    this.controller.resolveHandler = (item) => {
      if (!item) this.ensureItems();
    };
    this.controller.refreshHandler = () => {
      this.ensureItems(true);
    };
    this.controller.createRunProfile('Check', vscode.TestRunProfileKind.Run, (request, token) => this.runRequest(request, token).then(() => undefined), true);
  }

  /** One TestItem per theorem (made once, on demand). */
  ensureItems(force = false): vscode.TestItem[] {
    if (force || this.controller.items.size === 0) {
      const items = this.runner.list().map((info) => {
        const item = this.controller.createTestItem(info.name, info.name);
        item.description = info.claim;
        this.data.set(item, info);
        return item;
      });
      this.controller.items.replace(items);
    }
    const all: vscode.TestItem[] = [];
    this.controller.items.forEach((item) => all.push(item));
    return all;
  }

  /** Runs the requested properties (all when none are named) as one TestRun. */
  async runRequest(request: vscode.TestRunRequest, token: vscode.CancellationToken, progress?: (done: number, total: number, name: string) => void): Promise<TheoryRunResult> {
    const all = this.ensureItems();
    const excluded = new Set(request.exclude ?? []);
    const items = (request.include ?? all).filter((item) => !excluded.has(item) && this.data.has(item));
    const run = this.controller.createTestRun(request, 'Theory check', true);
    const settings = this.runner.settings();
    const reports: PropertyReport[] = [];
    const skipped: string[] = [];
    items.forEach((item) => run.enqueued(item));
    try {
      for (const [i, item] of items.entries()) {
        const info = this.data.get(item)!;
        if (token.isCancellationRequested) {
          run.skipped(item);
          skipped.push(info.name);
          continue;
        }
        progress?.(i, items.length, info.name);
        run.started(item);
        let report: PropertyReport;
        try {
          report = await this.runner.check(info.name, settings);
        } catch (error) {
          run.errored(item, new vscode.TestMessage(`${info.name}: ${(error as Error).message}`));
          this.log(`theory: ${info.name} errored: ${(error as Error).message}`);
          continue;
        }
        reports.push(report);
        const outcome = reportToOutcome(report);
        if (outcome.kind === 'passed') {
          run.appendOutput(`${info.name}: ${outcome.summary}\r\n`, undefined, item);
          run.passed(item, outcome.duration);
          this.counterexamples.delete(info.name);
        } else {
          if (outcome.counterexample) {
            this.messageSpecs.set(outcome.message, outcome.counterexample);
            this.counterexamples.set(info.name, outcome.counterexample);
          }
          run.appendOutput(`${info.name}: FAILED ${report.counterexample?.message ?? ''}\r\n`, undefined, item);
          run.failed(item, outcome.message, outcome.duration);
        }
        this.log(`theory: ${info.name} ${report.failed ? 'FAILED' : 'ok'} (${report.passed} passed, ${report.hypothesisNotMet} hypothesis not met, ${report.seconds.toFixed(1)} s)`);
        // Let the cancel button and the UI breathe between properties.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      run.end();
    }
    const result: TheoryRunResult = { reports, skipped, cancelled: token.isCancellationRequested, settings };
    this.onFinished(result);
    return result;
  }

  /** The counterexample behind a test message's action, or a property's latest one. */
  counterexample(arg: unknown): ExperimentSpec | undefined {
    if (arg && typeof arg === 'object') {
      const { message, property, test } = arg as { message?: vscode.TestMessage; property?: unknown; test?: vscode.TestItem };
      if (message && this.messageSpecs.has(message)) return this.messageSpecs.get(message);
      if (typeof property === 'string') return this.counterexamples.get(property);
      if (test) return this.counterexamples.get(test.id);
    }
    return undefined;
  }

  rememberCounterexamples(reports: readonly PropertyReport[]): void {
    for (const r of reports) if (r.counterexample) this.counterexamples.set(r.name, r.counterexample.spec);
  }

  dispose(): void {
    this.controller.dispose();
  }
}
