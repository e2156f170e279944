import type { z } from 'zod';
import { InputError } from '../errors';
import { experimentSpecSchema, type ExperimentSpec } from './schema';

/** `target.eigenvalues[2]`: the field path as a user would write it. */
function formatPath(path: readonly PropertyKey[], root = 'spec'): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

function quoteKey(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || typeof value === 'undefined') return String(value);
  return `a ${typeof value}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** One line for the first zod issue: the field, then what is wrong with it. */
export function formatIssue(issue: z.core.$ZodIssue, input: unknown, root = 'spec'): string {
  const where = formatPath(issue.path, root);
  switch (issue.code) {
    case 'unrecognized_keys':
      // Keys quoted as JSON: a key's control characters are shown escaped, never sent to a terminal.
      return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quoteKey(k)).join(', ')}`;
    case 'invalid_value': {
      const got = valueAt(input, issue.path);
      const expected = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return `${where}: ${got === undefined ? 'missing' : `unknown value ${describeValue(got)}`} (expected ${issue.values.length === 1 ? expected : `one of ${expected}`})`;
    }
    case 'invalid_type': {
      const got = valueAt(input, issue.path);
      if (got === undefined) return `${where}: missing (expected ${issue.expected === 'int' ? 'an integer' : issue.expected})`;
      return `${where}: expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${describeValue(got)}`;
    }
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        const got = valueAt(input, issue.path);
        const options = (issue as { options?: unknown[] }).options ?? [];
        return `${where}: ${got === undefined ? 'missing' : `unknown kind ${describeValue(got)}`} (expected one of: ${options.join(', ')})`;
      }
      return `${where}: ${issue.message}`;
    case 'too_small':
    case 'too_big': {
      const got = valueAt(input, issue.path);
      const shown = Array.isArray(got) ? `${got.length} entries` : describeValue(got);
      const bound = issue.code === 'too_small' ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<';
      const what = issue.origin === 'array' ? 'length' : issue.origin === 'string' ? 'length' : 'value';
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      return `${where}: ${what} must be ${bound} ${String(limit)} (got ${shown})`;
    }
    default:
      return `${where}: ${issue.message}`;
  }
}

/** Validates a parsed JSON value as an experiment spec; throws one InputError naming the field. */
export function parseSpec(input: unknown, root = 'spec'): ExperimentSpec {
  rejectHostileKeys(input, root);
  const result = experimentSpecSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(formatIssue(result.error.issues[0], input, root));
}

/** Parses JSON text (a `*.dfl.json` file) as a spec; `source` names it in the message. */
export function parseSpecText(text: string, source = 'spec'): ExperimentSpec {
  const value = parseJson(text, source);
  try {
    return parseSpec(value);
  } catch (error) {
    if (error instanceof InputError && source !== 'spec') throw new InputError(`${source}: ${error.message}`);
    throw error;
  }
}

/** JSON.parse with a one-line error that names the source and, where it can, the line. */
export function parseJson(text: string, source: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InputError(`${source}: empty file (expected JSON)`);
  try {
    return JSON.parse(body);
  } catch (error) {
    const message = (error as Error).message;
    const pos = /position (\d+)/.exec(message);
    let where = '';
    if (pos) {
      const before = body.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(pos[1]) - before.lastIndexOf('\n')}`;
    }
    const reason = message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/\s+/g, ' ');
    throw new InputError(`${source}: invalid JSON${where}: ${reason}`);
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_NESTING = 64;

/**
 * JSON.parse turns `"__proto__"` into an own key that zod's strict objects do not report, and a
 * spec is never deeper than a few levels: reject both before validating.
 */
function rejectHostileKeys(value: unknown, root: string): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (path.length > MAX_NESTING) throw new InputError(`${formatPath(path.slice(0, 8), root)}…: nested more than ${MAX_NESTING} levels deep`);
    if (Array.isArray(v)) {
      // Matrix data rows are long; only containers can hide keys.
      v.forEach((item, i) => typeof item === 'object' && item !== null && stack.push({ value: item, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) throw new InputError(`${formatPath(path, root)}: forbidden field ${quoteKey(key)}`);
      stack.push({ value: (v as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}
