import type { ASTNode, Environment } from '@marcbachmann/cel-js';
import type { RunResult } from '../result';
import { claimEnvironment, claimVariables, claimVariablesOf } from './vocabulary';

// A claim's expressions: compiled (parsed and type-checked against the vocabulary) once, before
// any case runs; evaluated on each run; and, when false, explained: the false part, where
// (step, component, plateau) and the values on both sides.

export interface ExpressionProblem {
  message: string;
  /** Character offset inside the expression. */
  offset: number;
}

/** A case's run, and its variants' runs by name. */
export interface CaseRuns {
  result: RunResult;
  variants?: Record<string, RunResult>;
}

export interface CompiledExpression {
  source: string;
  evaluate(runs: CaseRuns): boolean;
  /**
   * The outermost `all` quantifiers (not inside another macro) and the size of their range on
   * this case: an `all` over an empty list is true and checks nothing.
   */
  allRanges(runs: CaseRuns): { quantifier: string; size: number }[];
  /** Where and why a false expression is false on this case. */
  explain(runs: CaseRuns): ExpressionFalsehood;
}

/** The variables of a case: its run's, and each variant's as a map under the variant's name. */
export function caseVariables(runs: CaseRuns): Record<string, unknown> {
  const variables = claimVariablesOf(runs.result);
  for (const [name, result] of Object.entries(runs.variants ?? {})) variables[name] = claimVariablesOf(result);
  return variables;
}

export interface ExpressionFalsehood {
  where: { step?: number; steps?: [number, number]; component?: number; plateau?: number };
  /** The false part, as written. */
  expression: string;
  values: Record<string, number | string | boolean>;
}

const QUANTIFIERS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

/** The first line of a cel-js message (the rest is a drawing of the source). */
const firstLine = (message: string) => message.split('\n')[0].trim();

function errorOffset(error: unknown): number {
  const e = error as { range?: { start: number }; node?: { start?: number; pos?: number } };
  return e.range?.start ?? e.node?.start ?? e.node?.pos ?? 0;
}

/**
 * The source of a node. cel-js's spans leave out the parentheses of a group at either end
 * (`a || (b && c)` ends before the last `)`), so they are taken back in until the text balances.
 */
function sourceOf(node: ASTNode): string {
  const input = node.input;
  let start = node.start;
  let end = node.end;
  const count = (c: string) => [...input.slice(start, end)].filter((x) => x === c).length;
  for (let open = count('('), close = count(')'); open !== close; ) {
    if (open > close) {
      const next = input.slice(end).search(/\S/);
      if (next < 0 || input[end + next] !== ')') break;
      end += next + 1;
      close++;
    } else {
      const before = input.slice(0, start).search(/\(\s*$/);
      if (before < 0) break;
      start = before;
      open++;
    }
  }
  return input.slice(start, end);
}

/** A list literal, or a call with constant arguments such as range(0): what it lists, if known now. */
function constantList(node: ASTNode, env: Environment): unknown[] | undefined {
  if (node.op === 'list') return node.args.length === 0 ? [] : undefined;
  if (node.op === 'call' && node.args[1].every((a) => a.op === 'value')) {
    try {
      const value: unknown = env.evaluate(sourceOf(node), {});
      return Array.isArray(value) ? (value as unknown[]) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function children(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  const visit = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object' && 'op' in x) out.push(x as ASTNode);
  };
  visit(node.args);
  return out;
}

/** Quantifiers whose range is known to be empty when the claim is read: they would say nothing. */
function emptyQuantifier(node: ASTNode, env: Environment): ASTNode | undefined {
  if (node.op === 'rcall' && QUANTIFIERS.has(node.args[0])) {
    const list = constantList(node.args[1], env);
    if (list && list.length === 0) return node;
  }
  for (const child of children(node)) {
    const found = emptyQuantifier(child, env);
    if (found) return found;
  }
  return undefined;
}

/** The outermost `all` quantifiers: their bodies are not searched (their variables are bound there). */
function outermostAll(node: ASTNode): { quantifier: string; range: string }[] {
  if (node.op === 'rcall' && QUANTIFIERS.has(node.args[0])) {
    const receiver = node.args[1];
    const inReceiver = outermostAll(receiver);
    return node.args[0] === 'all' ? [{ quantifier: sourceOf(node), range: sourceOf(receiver) }, ...inReceiver] : inReceiver;
  }
  return children(node).flatMap(outermostAll);
}

/**
 * Parses and type-checks `source` (a bool expression over the vocabulary); returns the problem
 * instead of throwing, so the claim parser can place it in the file.
 */
export function compileExpression(source: string, variants: readonly string[] = []): CompiledExpression | ExpressionProblem {
  const clash = variants.find((v) => claimVariables.some((c) => c.name === v));
  if (clash) return { message: `variant "${clash}" has the name of a variable of the run`, offset: 0 };
  const current: { result?: RunResult } = {};
  const env = claimEnvironment(current, false, variants);
  let parsed: ReturnType<Environment['parse']>;
  try {
    parsed = env.parse(source);
  } catch (error) {
    return { message: `syntax error: ${firstLine((error as Error).message)}`, offset: errorOffset(error) };
  }
  // Before the type check: `[]` has no element type, and the checker's complaint about it would hide the real mistake.
  const empty = emptyQuantifier(parsed.ast, env);
  if (empty) return { message: `a quantifier over nothing: "${sourceOf(empty)}" ranges over an empty list`, offset: empty.start };
  const checked = parsed.check() as { valid: boolean; type?: string; error?: Error };
  if (!checked.valid) return { message: firstLine(checked.error?.message ?? 'type error'), offset: errorOffset(checked.error) };
  if (checked.type !== 'bool') return { message: `the expression is of type ${checked.type}, not bool`, offset: 0 };
  const explainEnv = claimEnvironment(current, true, variants);
  const quantifiers = outermostAll(parsed.ast);
  return {
    source,
    evaluate(runs) {
      current.result = runs.result;
      return parsed(caseVariables(runs)) === true;
    },
    explain(runs) {
      current.result = runs.result;
      return explain(parsed.ast, caseVariables(runs), explainEnv);
    },
    allRanges(runs) {
      current.result = runs.result;
      const variables = caseVariables(runs);
      return quantifiers.flatMap((q) => {
        try {
          const range: unknown = explainEnv.evaluate(q.range, variables);
          return Array.isArray(range) ? [{ quantifier: q.quantifier, size: range.length }] : [];
        } catch {
          return [];
        }
      });
    },
  };
}

const plain = (v: unknown): number | string | boolean => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? Number(x) : x)));

/** Walks down the false expression to the smallest false part. */
function explain(root: ASTNode, variables: Record<string, unknown>, env: Environment): ExpressionFalsehood {
  const where: ExpressionFalsehood['where'] = {};
  const bound: Record<string, number | string | boolean> = {};
  const text = sourceOf;
  const value = (node: ASTNode, context: Record<string, unknown>): unknown => env.evaluate(text(node), context);
  const walk = (node: ASTNode, context: Record<string, unknown>): ExpressionFalsehood => {
    try {
      switch (node.op) {
        case '&&': {
          const [a, b] = node.args;
          return walk(value(a, context) === false ? a : b, context);
        }
        case '||':
          // "guard || claim": the last disjunct is the claim.
          return walk(node.args[1], context);
        case '?:':
          return walk(value(node.args[0], context) === true ? node.args[1] : node.args[2], context);
        case '<':
        case '<=':
        case '>':
        case '>=':
        case '==':
        case '!=': {
          const [a, b] = node.args;
          // The entries read on each side (erank[i − 1] in erank[i − 1] + 1e-6) are shown too.
          const reads: Record<string, number | string | boolean> = {};
          // A read inside a macro (`distance[i][0]` in `points.map(i, …)`) has no value here: left out.
          for (const read of indexReads(node).slice(0, 6)) {
            try {
              reads[text(read)] = plain(value(read, context));
            } catch {
              continue;
            }
          }
          // A literal side (`5` in `n <= 5`) is shown in the expression already.
          const sides = Object.fromEntries([a, b].filter((side) => side.op !== 'value').map((side) => [text(side), plain(value(side, context))]));
          return { where, expression: text(node), values: { ...bound, ...reads, ...sides } };
        }
        case 'rcall': {
          const [name, receiver, args] = node.args;
          if (name === 'all' && args.length === 2 && args[0].op === 'id') {
            const variable = args[0].args;
            const list: unknown = value(receiver, context);
            if (Array.isArray(list))
              for (let k = 0; k < list.length; k++) {
                const inner = { ...context, [variable]: list[k] as unknown };
                if (value(args[1], inner) === false) {
                  locate(text(receiver), variable, list[k], k, variables, where, bound);
                  return walk(args[1], inner);
                }
              }
          }
          break;
        }
        default:
          break;
      }
    } catch {
      // A part that cannot be evaluated alone: report the enclosing part.
    }
    return { where, expression: text(node), values: { ...bound, [text(node)]: plain(safe(() => value(node, context))) } };
  };
  return walk(root, variables);
}

/** The outermost `x[k]` reads inside a node (not the node itself). */
function indexReads(node: ASTNode): ASTNode[] {
  const out: ASTNode[] = [];
  for (const child of children(node)) {
    if (child.op === '[]') out.push(child);
    else out.push(...indexReads(child));
  }
  return out;
}

function safe(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    return `(${firstLine((error as Error).message)})`;
  }
}

/** Records what a quantifier's variable stands for: a logged point, a component or a plateau. */
function locate(range: string, variable: string, element: unknown, index: number, variables: Record<string, unknown>, where: ExpressionFalsehood['where'], bound: Record<string, number | string | boolean>): void {
  if (range === 'points') {
    const i = Number(element);
    where.step = Number((variables.step as bigint[])[i]);
    bound[variable] = i;
    bound.step = where.step;
  } else if (range === 'step') {
    where.step = Number(element);
    bound[variable] = where.step;
  } else if (range === 'components') {
    where.component = Number(element);
    bound[variable] = where.component;
  } else if (range === 'measured' || range === 'predicted') {
    const p = element as { L: bigint; start: bigint; end: bigint };
    where.plateau = index;
    where.steps = [Number(p.start), Number(p.end)];
    bound[variable] = `${range} plateau ${index}: L = ${p.L}, steps ${p.start}–${p.end}`;
  } else bound[variable] = plain(element);
}
