import path from 'node:path';
import * as vscode from 'vscode';
import type { RunMark } from '../../core/protocol/messages';
import { COMMANDS, COUNTEREXAMPLE_CONTEXT } from '../ids';
import type { ClaimReport, ClaimViolation } from '../../property-tests';
import type { Counterexample } from './testMessages';

// From a claim's report to what the Test Explorer shows: passed with its counts, or failed with
// messages placed on the false expression in the claim file: the explanation (the values, the
// counterexample spec and the action that opens it in the Lab, where the violation is marked)
// and, for a comparison, the expression against its values as expected/actual.

export type ClaimOutcome =
  | { kind: 'passed'; summary: string; duration: number }
  | { kind: 'failed'; summary: string; messages: vscode.TestMessage[]; counterexample?: Counterexample; duration: number };

const number = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(4));
const value = (v: number | string | boolean) => (typeof v === 'number' ? number(v) : String(v));
const percent = (x: number) => `${Number((100 * x).toFixed(1))} %`;

/** "12 of 20 cases (95 % interval 38 %–79 %), at least 80 % required"; a theorem's counts. */
export function claimSummary(report: ClaimReport): string {
  const given = report.applicable < report.cases ? ` (given held on ${report.applicable} of ${report.cases})` : '';
  if (report.kind === 'observation') {
    const interval = report.interval ? ` (95 % interval ${percent(report.interval.low)}–${percent(report.interval.high)})` : '';
    const required = report.required !== undefined ? `, at least ${percent(report.required)} required` : '';
    return `${report.holding} of ${report.applicable} cases${interval}${required}${report.applicable < report.cases ? `; given held on ${report.applicable} of ${report.cases}` : ''}`;
  }
  if (report.status === 'holds') return `holds on all ${report.applicable} cases${given}`;
  return `false on ${report.applicable - report.holding} of ${report.applicable} cases${given}`;
}

/** "step 120, component 2": where the expectation is false, or '' when the report does not say. */
export function wherePhrase(where: ClaimViolation['where']): string {
  const parts: string[] = [];
  if (where.plateau !== undefined) parts.push(`plateau ${where.plateau}`);
  if (where.step !== undefined) parts.push(`step ${where.step}`);
  else if (where.steps) parts.push(`steps ${where.steps[0]}–${where.steps[1]}`);
  if (where.component !== undefined) parts.push(`component ${where.component}`);
  return parts.join(', ');
}

/** The mark of the Lab's plots: the violation's step or interval of steps (within the run), if it has one. */
export function violationMark(violation: ClaimViolation, steps: number): RunMark | undefined {
  const label = violation.message.length > 500 ? `${violation.message.slice(0, 499)}…` : violation.message;
  const { step, steps: interval } = violation.where;
  if (step !== undefined && step >= 0 && step <= steps) return { step, label };
  if (interval && interval[0] >= 0 && interval[0] <= interval[1] && interval[1] <= steps) return { steps: [interval[0], interval[1]], label };
  return undefined;
}

/**
 * Where the false part of the expectation is in the claim file's text (0-based line and
 * character): inside the `expect` string, else the start of that string; undefined when the
 * file has no `expect` string.
 */
export function locateExpression(text: string, expression: string): { line: number; character: number } | undefined {
  const key = /"expect"\s*:\s*"/.exec(text);
  if (!key) return undefined;
  const start = key.index + key[0].length;
  let end = start;
  while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
  // The expression as it is written inside a JSON string (quotes and backslashes escaped).
  const inner = expression ? text.slice(start, end).indexOf(JSON.stringify(expression).slice(1, -1)) : -1;
  const offset = inner >= 0 ? start + inner : start - 1;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/**
 * The false comparison as written, and with the values of its parts put in (each part a whole
 * name or sub-expression, replaced in one pass), when the values name parts of it.
 */
export function expectedActual(violation: ClaimViolation): { expected: string; actual: string } | undefined {
  const parts = Object.keys(violation.values)
    .filter((k) => k !== violation.expression && k.length > 0)
    .sort((a, b) => b.length - a.length);
  if (parts.length === 0) return undefined;
  const escape = (k: string) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![A-Za-z0-9_.])(?:${parts.map(escape).join('|')})(?![A-Za-z0-9_])`, 'g');
  const actual = violation.expression.replace(pattern, (part) => value(violation.values[part]));
  return actual === violation.expression ? undefined : { expected: violation.expression, actual };
}

/** Where a command link carries what to open: the claim's test id. */
function claimCounterexampleUri(id: string): vscode.Uri {
  return vscode.Uri.parse(`command:${COMMANDS.openCounterexample}?${encodeURIComponent(JSON.stringify([{ claim: id }]))}`);
}

export function claimReportToOutcome(report: ClaimReport, claim: { id: string; uri: vscode.Uri; text: string }): ClaimOutcome {
  const duration = report.seconds * 1000;
  const summary = claimSummary(report);
  if (report.status === 'holds') return { kind: 'passed', summary, duration };
  const cx = report.counterexample;
  const text = new vscode.MarkdownString(undefined, true);
  text.isTrusted = { enabledCommands: [COMMANDS.openCounterexample] };
  text.appendMarkdown(`**${report.name}** fails: `);
  text.appendText(cx?.violation.message ?? report.note ?? summary);
  text.appendMarkdown('\n\n');
  text.appendText(report.statement);
  text.appendMarkdown(`\n\n${report.kind === 'observation' ? 'Observation' : 'Theorem'}: `);
  text.appendText(summary);
  text.appendMarkdown('\n\n');
  let counterexample: Counterexample | undefined;
  if (cx) {
    const where = wherePhrase(cx.violation.where);
    text.appendMarkdown('False: `');
    text.appendText(cx.violation.expression);
    text.appendMarkdown('`');
    if (where) text.appendText(` at ${where}`);
    text.appendMarkdown('\n\n');
    for (const [name, v] of Object.entries(cx.violation.values)) {
      text.appendMarkdown('- `');
      text.appendText(name);
      text.appendMarkdown('` = ');
      text.appendText(value(v));
      text.appendMarkdown('\n');
    }
    const first = report.kind === 'observation' ? 'The first failing case' : `The shrunk counterexample (${cx.shrinks} shrinks, seed ${cx.seed})`;
    text.appendMarkdown(`\n${first}, a spec \`dfl run\` replays:\n\n`);
    text.appendCodeblock(JSON.stringify(cx.spec, null, 2), 'json');
    text.appendMarkdown(`\n[Open in the Lab](${claimCounterexampleUri(claim.id).toString()})`);
    counterexample = { spec: cx.spec, mark: violationMark(cx.violation, cx.spec.steps), baseDir: path.dirname(claim.uri.fsPath), title: `counterexample of ${report.name}` };
  }
  const at = locateExpression(claim.text, cx?.violation.expression ?? '');
  const location = at ? new vscode.Location(claim.uri, new vscode.Position(at.line, at.character)) : undefined;
  const explanation = new vscode.TestMessage(text);
  const messages = [explanation];
  const diff = cx && expectedActual(cx.violation);
  if (cx && diff) {
    const where = wherePhrase(cx.violation.where);
    messages.push(vscode.TestMessage.diff(`${cx.violation.expression} is false${where ? ` at ${where}` : ''}`, diff.expected, diff.actual));
  }
  for (const m of messages) {
    if (location) m.location = location;
    if (counterexample) m.contextValue = COUNTEREXAMPLE_CONTEXT;
  }
  return { kind: 'failed', summary, messages, counterexample, duration };
}

/** A bad claim (the engine's ClaimError, thrown before any case runs): its one line, placed at its position. */
export function claimErrorMessage(error: unknown, uri: vscode.Uri): vscode.TestMessage {
  const e = error as { message?: string; position?: { line: number; column: number } };
  const message = new vscode.TestMessage(e?.message ?? String(error));
  if (e?.position) message.location = new vscode.Location(uri, new vscode.Position(e.position.line - 1, e.position.column - 1));
  return message;
}
