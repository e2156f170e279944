import * as vscode from 'vscode';
import type { PropertyReport } from '../../property-tests/runner';
import type { RunMark } from '../../core/protocol/messages';
import type { ExperimentSpec } from '../../core/spec/schema';
import { COMMANDS, COUNTEREXAMPLE_CONTEXT } from '../ids';

// From the harness's PropertyReport to what the Test Explorer shows: passed, or failed with a
// TestMessage carrying the shrunk counterexample (and an action that opens it in the Lab).

/** What "Open in the Lab" opens: a property's or a claim's counterexample. */
export interface Counterexample {
  spec: ExperimentSpec;
  /** Where the claim is false, marked on the Lab's plots. */
  mark?: RunMark;
  /** Where the spec's relative file paths start (a claim's folder); else the workspace. */
  baseDir?: string;
  /** Its name in the Lab when the spec has none. */
  title?: string;
}

export type TestOutcome =
  | { kind: 'passed'; summary: string; duration: number }
  | { kind: 'failed'; message: vscode.TestMessage; counterexample?: ExperimentSpec; duration: number };

function summarize(report: PropertyReport): string {
  const stats = Object.entries(report.statistics)
    .map(([name, s]) => `${name} mean ${s.mean.toPrecision(3)}`)
    .join('; ');
  return `${report.passed} passed, ${report.hypothesisNotMet} hypothesis not met${stats ? ` (${stats})` : ''}`;
}

/** Where the counterexample travels in a command link (the spec itself, URI-encoded JSON). */
function counterexampleCommandUri(property: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMANDS.openCounterexample}?${encodeURIComponent(JSON.stringify([{ property }]))}`);
}

export function reportToOutcome(report: PropertyReport): TestOutcome {
  const duration = report.seconds * 1000;
  if (!report.failed) return { kind: 'passed', summary: summarize(report), duration };
  const cx = report.counterexample;
  const text = new vscode.MarkdownString(undefined, true);
  text.isTrusted = { enabledCommands: [COMMANDS.openCounterexample] };
  text.appendMarkdown(`**${report.name}** failed: ${cx?.message ?? 'the property failed'}\n\n`);
  if (cx) {
    text.appendMarkdown(`Shrunk counterexample (${cx.shrinks} shrinks), replay with \`dfl run\`:\n\n`);
    text.appendCodeblock(JSON.stringify(cx.spec, null, 2), 'json');
    text.appendMarkdown(`\n[Open in the Lab](${counterexampleCommandUri(report.name).toString()})`);
  }
  const message = new vscode.TestMessage(text);
  if (cx) message.contextValue = COUNTEREXAMPLE_CONTEXT;
  return { kind: 'failed', message, counterexample: cx?.spec, duration };
}
