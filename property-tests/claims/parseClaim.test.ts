import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaimError } from '../../core/claims/claim';
import { parseClaimFile } from './parseClaim';

const EXAMPLE_FILE = path.resolve(__dirname, '../../claims/examples/entropy-rank-never-rises.dfl-claim.json');
const EXAMPLE = readFileSync(EXAMPLE_FILE, 'utf8');

/** A claim file's text, one field a line, as people write them; `fields` replace or add fields. */
function claimText(fields: Record<string, unknown> = {}): string {
  const claim: Record<string, unknown> = {
    name: 'loss-falls',
    kind: 'theorem',
    statement: 'the loss never rises',
    domain: { base: { target: { kind: 'spectrum', eigenvalues: [4, 1] }, init: { kind: 'identity', alpha: 0.3 }, stepSize: 0.02, steps: 50, depth: 3 }, generate: { n: { integer: [2, 4] } } },
    expect: 'points.all(i, i == 0 || loss[i] <= loss[i - 1])',
    ...fields,
  };
  for (const [k, v] of Object.entries(claim)) if (v === undefined) delete claim[k];
  return `{\n${Object.entries(claim).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
}

/** The ClaimError a text gets, as "line:column: reason". */
function refusal(text: string, file = 'a.dfl-claim.json'): string {
  try {
    parseClaimFile(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ClaimError);
    const e = error as ClaimError;
    expect(e.file).toBe(file);
    expect(e.message).toBe(`${file}${e.position ? `:${e.position.line}:${e.position.column}` : ''}: ${e.reason}`);
    // One line, as dfl check prints it.
    expect(e.message).not.toContain('\n');
    return `${e.position ? `${e.position.line}:${e.position.column}` : '-'}: ${e.reason}`;
  }
  throw new Error('the claim was read');
}

/** 1-based line and column of the first `needle` in `text` (after `after`). */
function find(text: string, needle: string, after = ''): string {
  const offset = text.indexOf(needle, after ? text.indexOf(after) : 0);
  expect(offset).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('parseClaimFile: good files', () => {
  it('reads the example claim, compiled, with positions for editors', () => {
    const claim = parseClaimFile(EXAMPLE, 'claims/examples/entropy.dfl-claim.json');
    expect(claim).toMatchObject({ file: 'claims/examples/entropy.dfl-claim.json', name: 'entropy-rank-never-rises-after-minimum', kind: 'theorem', runs: 100, source: 'docs/theory.md §5, after Corollary 5.5' });
    expect(claim.given).toBeUndefined();
    expect(claim.frequency).toBeUndefined();
    expect(claim.expect.source).toBe('points.all(i, i <= argmin(erank) || erank[i] <= erank[i - 1] + 1e-6)');
    const at = (p: { line: number; column: number }) => `${p.line}:${p.column}`;
    expect(at(claim.positions.claim)).toBe(find(EXAMPLE, '"entropy-rank-never-rises-after-minimum"'));
    expect(at(claim.positions.expect)).toBe(find(EXAMPLE, '"points.all'));
    expect(claim.definition.domain.generate.steps).toEqual({ learnSmallest: 1.5, max: 20000 });
  });

  it('reads an observation with its frequency, given and runs', () => {
    const text = claimText({ kind: 'observation', frequency: 0.9, given: 'hypothesesMet', runs: 12 });
    const claim = parseClaimFile(text, 'o.dfl-claim.json');
    expect(claim).toMatchObject({ kind: 'observation', frequency: 0.9, runs: 12 });
    expect(claim.given?.source).toBe('hypothesesMet');
    expect(claim.positions.given).toEqual({ line: Number(find(text, '"hypothesesMet"').split(':')[0]), column: 12 });
  });
});

describe('parseClaimFile: bad files are refused with file:line:column, before any run', () => {
  it('a JSON syntax error', () => {
    const broken = EXAMPLE.replace('"kind": "theorem",', '"kind": "theorem"');
    expect(refusal(broken)).toBe(`${find(broken, '"statement"')}: invalid JSON: expected "," or "}" after a field, got "\\""`);
    expect(refusal('')).toBe('1:1: invalid JSON: unexpected end of file (expected a value)');
    expect(refusal('{"name": "x",}')).toBe('1:14: invalid JSON: expected a field name in double quotes, got "}"');
  });

  it('a file that is not an object', () => {
    expect(refusal('[1, 2]')).toBe('1:1: a claim file is a JSON object');
    expect(refusal('\n  "claim"')).toBe('2:3: a claim file is a JSON object');
  });

  it('an unknown field, at its name, also when it is a misspelt required one', () => {
    const extra = claimText({ explain: 'x' });
    expect(refusal(extra)).toMatch(new RegExp(`^${find(extra, '"explain"')}: .*explain`));
    const misspelt = claimText({ expect: undefined, expectt: 'true' });
    expect(refusal(misspelt)).toMatch(new RegExp(`^${find(misspelt, '"expectt"')}: .*expectt`));
    // In the domain.
    const nested = EXAMPLE.replace('"generate": {', '"generator": {}, "generate": {');
    expect(refusal(nested)).toMatch(new RegExp(`^${find(nested, '"generator"')}: .*generator`));
  });

  it('a theorem with a frequency, an observation without, at the field', () => {
    const theorem = claimText({ frequency: 0.5 });
    expect(refusal(theorem)).toBe(`${find(theorem, '0.5')}: claim.frequency: a theorem holds on every case; frequency is for observations`);
    const observation = claimText({ kind: 'observation' });
    expect(refusal(observation)).toMatch(/^1:1: .*an observation needs the frequency/);
  });

  it('a bad name, a bad kind, a bad generator', () => {
    const name = claimText({ name: 'has space' });
    expect(refusal(name)).toMatch(new RegExp(`^${find(name, '"has space"')}: claim.name: .*letters, digits`));
    const kind = claimText({ kind: 'conjecture' });
    expect(refusal(kind)).toMatch(new RegExp(`^${find(kind, '"conjecture"')}: claim.kind`));
    const generator = claimText({ domain: { base: {}, generate: { n: { integers: [2, 4] } } } });
    expect(refusal(generator)).toMatch(new RegExp(`^${find(generator, '{"integers"')}: claim.domain.generate.n`));
  });

  it('a derived generator at another path than its own', () => {
    const text = claimText({ domain: { base: {}, generate: { 'init.scale': { productLogUniform: [1e-4, 1e-2] } } } });
    expect(refusal(text)).toBe(`${find(text, '{"productLogUniform"')}: claim.domain.generate: "productLogUniform" generates init.alpha, not init.scale`);
  });

  it('an unknown name in an expression, at the name inside the string', () => {
    const text = claimText({ expect: 'points.all(i, erankk[i] > 0.0)' });
    expect(refusal(text)).toMatch(new RegExp(`^${find(text, 'erankk')}: claim.expect: .*erankk`));
    // Escapes before it take more characters in the file than in the expression.
    const escaped = claimText({ expect: 'measure == "entropy" && erankk[0] > 1.0' });
    expect(escaped).toContain('\\"entropy\\"');
    expect(refusal(escaped)).toMatch(new RegExp(`^${find(escaped, 'erankk')}: claim.expect: .*erankk`));
    const given = claimText({ given: 'hypothesesMett' });
    expect(refusal(given)).toMatch(new RegExp(`^${find(given, 'hypothesesMett')}: claim.given: .*hypothesesMett`));
  });

  it('a type error and an expression that is not a bool', () => {
    const text = claimText({ expect: 'n > 1 && reachStep(0.5, 0) > 0' });
    expect(refusal(text)).toMatch(new RegExp(`^${find(text, 'reachStep')}: claim.expect: .*reachStep`));
    const value = claimText({ expect: 'loss[0]' });
    expect(refusal(value)).toBe(`${find(value, 'loss[0]')}: claim.expect: the expression is of type double, not bool`);
  });

  it('a quantifier over nothing', () => {
    const text = claimText({ expect: 'n > 1 && range(0).all(i, loss[i] > 0.0)' });
    expect(refusal(text)).toBe(`${find(text, 'range(0)')}: claim.expect: a quantifier over nothing: "range(0).all(i, loss[i] > 0.0)" ranges over an empty list`);
    expect(refusal(claimText({ expect: '[].exists(x, x == 1)' }))).toMatch(/claim.expect: a quantifier over nothing/);
  });

  it('a variant named like a variable of the run', () => {
    expect(refusal(claimText({ variants: { loss: { depth: 4 } } }))).toMatch(/claim.expect: variant "loss" has the name of a variable of the run/);
  });

  it('a domain that generates invalid specs, at the generator or the base field', () => {
    const generator = claimText({ domain: { base: { target: { kind: 'spectrum', eigenvalues: [1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10, depth: 2 }, generate: { n: { integer: [0, 3] } } } });
    expect(refusal(generator)).toMatch(new RegExp(`^${find(generator, '{"integer"')}: claim.domain does not generate valid specs: spec.n`));
    const base = claimText({ domain: { base: { target: { kind: 'spectrum', eigenvalues: [1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 10, depth: 2, stepsize: 0.1 }, generate: { n: [3] } } });
    expect(refusal(base)).toMatch(new RegExp(`^${find(base, '"stepsize"')}: claim.domain does not generate valid specs: .*stepsize`));
    const missing = claimText({ domain: { base: { steps: 10, depth: 2, stepSize: 0.01, init: { kind: 'identity', alpha: 0.1 } }, generate: { n: [3] } } });
    expect(refusal(missing)).toMatch(new RegExp(`^${find(missing, '{"steps"')}: claim.domain does not generate valid specs: spec.target: missing`));
  });
});
