import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, specHash } from '../../../core/sweep/hash';

// Run hashes name result files and decide what a resumed sweep skips: the canonical JSON must
// stay the text it has always been. This is its first definition (map, filter, sort, join),
// against which the loop version is checked.
function canonicalJsonAsDefined(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJsonAsDefined(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJsonAsDefined((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"x":2,"y":1}]},"b":1}');
  });

  it('writes what its first definition wrote, for any JSON value and the odd cases', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => canonicalJson(value) === canonicalJsonAsDefined(value)), { numRuns: 500 });
    // An array with a hole, which JSON.stringify writes as null.
    const holed: number[] = [];
    holed[0] = 1;
    holed[2] = 3;
    const odd: unknown[] = [undefined, NaN, -0, Infinity, holed, [undefined, 2], { a: undefined, b: () => 1 }, { '10': 1, '9': 2, b: 3 }, 'é\u2028"\\', new Date(0)];
    for (const value of odd) expect(canonicalJson(value)).toBe(canonicalJsonAsDefined(value));
  });
});

describe('sha256Hex', () => {
  it("is Node's SHA-256 of the UTF-8 bytes", () => {
    for (const text of ['', 'abc', 'é✓😀', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(1000)]) expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('gives a spec hash of 16 hex digits of the canonical JSON', () => {
    const spec = { n: 4, target: { seed: 1, kind: 'spectrum' } };
    expect(specHash(spec)).toBe(createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16));
  });
});
