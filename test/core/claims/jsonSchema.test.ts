import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimJsonSchema } from '../../../core/claims/jsonSchema';

// No JSON-schema validator is a dependency of the project, so the schema's structure is checked:
// what editors validate with (required fields, additionalProperties false, enums, patterns) and
// that the example claims fit it field by field.

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[]; additionalProperties?: unknown; anyOf?: Schema[]; propertyNames?: { pattern: string }; enum?: unknown[] };

const EXAMPLES = path.resolve(__dirname, '../../../claims/examples');
const example = JSON.parse(readFileSync(path.join(EXAMPLES, 'entropy-rank-never-rises.dfl-claim.json'), 'utf8')) as Record<string, unknown>;

/** The object-level checks an editor makes: unknown fields, required fields (not types or ranges). */
function objectProblems(schema: Schema, value: Record<string, unknown>, at: string): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) if (!(key in value)) problems.push(`${at}: missing ${key}`);
  if (schema.additionalProperties === false) for (const key of Object.keys(value)) if (!(key in (schema.properties ?? {}))) problems.push(`${at}: unknown ${key}`);
  return problems;
}

/** The generator branches a generator object fits (its keys required and known by the branch). */
function generatorBranches(generate: Schema, axis: unknown): number {
  const branches = (generate.additionalProperties as Schema).anyOf!;
  return branches.filter((b) => {
    if (Array.isArray(axis)) return b.type === 'array';
    if (b.type !== 'object' || axis === null || typeof axis !== 'object') return false;
    return objectProblems(b, axis as Record<string, unknown>, '').length === 0;
  }).length;
}

describe('claimJsonSchema', () => {
  const schema = claimJsonSchema() as Schema;
  const domain = schema.properties!.domain;
  const generate = domain.properties!.generate;

  it('is a closed object with the claim\'s required fields', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required!].sort()).toEqual(['domain', 'expect', 'kind', 'name', 'statement']);
    expect(Object.keys(schema.properties!).sort()).toEqual(['$schema', 'domain', 'expect', 'frequency', 'given', 'kind', 'name', 'runs', 'source', 'statement', 'variants']);
    expect(schema.properties!.kind.enum).toEqual(['theorem', 'observation']);
    expect(schema.properties!.frequency).toMatchObject({ type: 'number', exclusiveMinimum: 0, maximum: 1 });
    expect(schema.title).toBe('Deep Factorization Lab claim');
  });

  it('closes the domain and describes its base as an experiment spec whose fields are all optional', () => {
    expect(domain.additionalProperties).toBe(false);
    expect(domain.required).toEqual(['base']);
    const base = domain.properties!.base;
    expect(base.required).toBeUndefined();
    expect(base.additionalProperties).toBe(false);
    for (const field of ['n', 'depth', 'target', 'init', 'stepSize', 'steps', 'effectiveRank', 'epsilon', 'log']) expect(Object.keys(base.properties!)).toContain(field);
  });

  it('lets a generator path be a dotted path only, and a generator be one of the known shapes', () => {
    const pattern = new RegExp(generate.propertyNames!.pattern);
    for (const ok of ['n', 'init.alpha', 'target.eigenvalues', 'target.eigenvalues.0']) expect(pattern.test(ok)).toBe(true);
    for (const bad of ['', 'init..alpha', '.n', 'a b', '0n']) expect(pattern.test(bad)).toBe(false);
    for (const axis of [{ integer: [2, 4] }, { spectrum: {} }, { productLogUniform: [1e-4, 1e-2] }, { fractionOfBound: [0.1, 1] }, { learnSmallest: 1.5 }, { seeds: 3 }, { uniform: [0, 1] }, { logUniform: [0.1, 1] }, [1, 2]])
      expect(generatorBranches(generate, axis), JSON.stringify(axis)).toBe(1);
    // A misspelt generator and a sweep grid axis fit none.
    expect(generatorBranches(generate, { integers: [2, 4] })).toBe(0);
    expect(generatorBranches(generate, { linear: [0, 1], count: 3 })).toBe(0);
    expect(generatorBranches(generate, { spectrum: {}, extra: 1 })).toBe(0);
  });

  it('accepts the example claim: every field known, every required one there, every generator fits one shape', () => {
    expect(objectProblems(schema, example, 'claim')).toEqual([]);
    const exampleDomain = example.domain as { base: Record<string, unknown>; generate: Record<string, unknown> };
    expect(objectProblems(domain, exampleDomain, 'domain')).toEqual([]);
    expect(objectProblems(domain.properties!.base, exampleDomain.base, 'base')).toEqual([]);
    const pattern = new RegExp(generate.propertyNames!.pattern);
    for (const [key, axis] of Object.entries(exampleDomain.generate)) {
      expect(pattern.test(key)).toBe(true);
      expect(generatorBranches(generate, axis), key).toBe(1);
    }
    expect(schema.properties!.kind.enum).toContain(example.kind);
    expect(new RegExp((schema.properties!.name as { pattern: string }).pattern).test(example.name as string)).toBe(true);
  });

  it('rejects a claim with an unknown field, at the top, in the domain or in its base', () => {
    expect(objectProblems(schema, { ...example, expectt: 'true' }, 'claim')).toEqual(['claim: unknown expectt']);
    expect(objectProblems(domain, { ...(example.domain as object), generator: {} }, 'domain')).toEqual(['domain: unknown generator']);
    expect(objectProblems(domain.properties!.base, { stepsize: 0.1 }, 'base')).toEqual(['base: unknown stepsize']);
    const { expect: _, ...withoutExpect } = example;
    expect(objectProblems(schema, withoutExpect, 'claim')).toEqual(['claim: missing expect']);
  });
});
