import fc from 'fast-check';
import type { ClaimAxis, ClaimFile } from '../../core/claims/schema';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import { ipow } from '../../core/theory/flowTime';
import { stepSizeBound } from '../../core/theory/hypotheses';
import { stepCountBounds } from '../../core/theory/stepCountBounds';

// A claim's domain as a fast-check arbitrary of specs. Every generator shrinks towards its low
// end (integers and ranges to their minimum, choices to the first, spectra to fewer and smaller
// entries), so a failing case shrinks to small n, shallow depth, few steps, short spectra and
// small seeds.

/** Generators that depend on other fields, each allowed at one path only, applied in this order. */
export const DERIVED_AT: Record<string, string> = { spectrum: 'target.eigenvalues', productLogUniform: 'init.alpha', fractionOfBound: 'stepSize', learnSmallest: 'steps' };

/** The generator's kind (its first key, or "list"). */
export function axisKind(axis: ClaimAxis): string {
  return Array.isArray(axis) ? 'list' : Object.keys(axis)[0];
}

const ordered = (a: number, b: number) => [Math.min(a, b), Math.max(a, b)] as const;

function logUniform(a: number, b: number): fc.Arbitrary<number> {
  const [lo, hi] = ordered(Math.log(a), Math.log(b));
  return lo === hi ? fc.constant(Math.exp(lo)) : fc.double({ min: lo, max: hi, noNaN: true }).map(Math.exp);
}

function uniform(a: number, b: number): fc.Arbitrary<number> {
  const [lo, hi] = ordered(a, b);
  return lo === hi ? fc.constant(lo) : fc.double({ min: lo, max: hi, noNaN: true });
}

const integer = (a: number, b: number) => {
  const [min, max] = ordered(a, b);
  return fc.integer({ min, max });
};

type SpectrumOptions = Extract<ClaimAxis, { spectrum: unknown }>['spectrum'];

function spectrum(o: SpectrumOptions): fc.Arbitrary<number[]> {
  const ratio = o.nearTies > 0 ? fc.oneof({ weight: Math.round(1000 * (1 - o.nearTies)), arbitrary: uniform(...o.ratio) }, { weight: Math.round(1000 * o.nearTies), arbitrary: uniform(0.97, 0.999) }) : uniform(...o.ratio);
  const [minPositives, maxPositives] = ordered(...o.positives);
  return fc
    .record({
      top: uniform(...o.top),
      ratios: fc.array(ratio, { minLength: Math.max(0, minPositives - 1), maxLength: Math.max(0, maxPositives - 1) }),
      zeros: integer(...o.zeros),
      negatives: fc.array(uniform(-5, -0.1), { minLength: Math.min(...o.negatives), maxLength: Math.max(...o.negatives) }),
    })
    .map(({ top, ratios, zeros, negatives }) => {
      const values = [top];
      for (const r of ratios) values.push(values[values.length - 1] * r);
      return [...values, ...Array<number>(zeros).fill(0), ...negatives.sort((a, b) => b - a)];
    });
}

function arbitraryOf(axis: ClaimAxis): fc.Arbitrary<unknown> {
  if (Array.isArray(axis)) return fc.constantFrom(...axis);
  if ('integer' in axis) return integer(...axis.integer);
  if ('uniform' in axis) return uniform(...axis.uniform);
  if ('logUniform' in axis) return logUniform(...axis.logUniform);
  if ('seeds' in axis) return integer(axis.from, axis.from + axis.seeds - 1);
  if ('spectrum' in axis) return spectrum(axis.spectrum);
  if ('productLogUniform' in axis) return logUniform(...axis.productLogUniform);
  if ('fractionOfBound' in axis) return uniform(...axis.fractionOfBound);
  return fc.constant(axis.learnSmallest);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    const next = at[key];
    // A copy on the way down: the base spec and other cases share the objects below.
    const copy = next !== null && typeof next === 'object' ? (Array.isArray(next) ? Array.from<unknown>(next) : { ...next }) : {};
    at = at[key] = copy as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

const getPath = (source: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), source);

/**
 * Builds one case's spec from the drawn values: plain generators first, then the spectrum is cut
 * to n, α = (α^N)^{1/N}, the step size from the hypotheses (4.1), (4.5), (4.6), and the steps
 * from the step-count bound of Theorem 4.1. Throws the spec parser's error when the result is
 * not a valid spec.
 */
export function buildCaseSpec(domain: ClaimFile['domain'], drawn: Record<string, unknown>, overrides: Record<string, unknown> = {}): ExperimentSpec {
  const spec = structuredClone<Record<string, unknown>>(domain.base);
  const derived: [string, ClaimAxis][] = [];
  for (const [path, axis] of Object.entries(domain.generate)) {
    if (axisKind(axis) in DERIVED_AT) derived.push([path, axis]);
    else setPath(spec, path, drawn[path]);
  }
  // A variant's fields replace the drawn ones; the derived generators then see them.
  for (const [path, value] of Object.entries(overrides)) setPath(spec, path, structuredClone(value));
  const order = Object.keys(DERIVED_AT);
  derived.sort((a, b) => order.indexOf(axisKind(a[1])) - order.indexOf(axisKind(b[1])));
  for (const [path, axis] of derived) {
    const kind = axisKind(axis);
    const depth = Number(spec.depth);
    const eigenvalues = getPath(spec, 'target.eigenvalues') as number[] | undefined;
    if (kind === 'spectrum') setPath(spec, path, (drawn[path] as number[]).slice(0, Math.max(1, Number(spec.n))));
    else if (kind === 'productLogUniform') setPath(spec, path, depth === 1 ? drawn[path] : Math.pow(drawn[path] as number, 1 / depth));
    else if (kind === 'fractionOfBound') {
      const alpha = Number(getPath(spec, 'init.alpha'));
      const values = eigenvalues ?? [];
      let bound = stepSizeBound(Math.max(...values), depth);
      const mostNegative = Math.min(0, ...values);
      const aN = ipow(alpha, depth);
      if (depth >= 2 && values.some((l) => l <= 0)) bound = Math.min(bound, 1 / (ipow(alpha, depth - 2) * (aN - mostNegative)));
      if (depth >= 2 && values.some((l) => l > 0 && l <= aN)) bound = Math.min(bound, 1 / ((2 * depth - 1) * ipow(alpha, 2 * depth - 2)));
      setPath(spec, path, bound * (drawn[path] as number));
    } else if (kind === 'learnSmallest' && 'learnSmallest' in axis) {
      const positives = (eigenvalues ?? []).filter((l) => l > 0);
      const alpha = Number(getPath(spec, 'init.alpha'));
      const smallest = Math.min(...positives);
      const learn = positives.length > 0 && ipow(alpha, depth) < smallest ? stepCountBounds(smallest, alpha, depth, Number(spec.stepSize), 0.999).upper : 1;
      setPath(spec, path, Math.max(10, Math.min(axis.max, Math.ceil(axis.learnSmallest * (Number.isFinite(learn) ? learn : axis.max)))));
    }
  }
  return parseSpec(spec);
}

/** One generated case: its spec, and its variants' specs by name. */
export interface ClaimCase {
  spec: ExperimentSpec;
  variants: Record<string, ExperimentSpec>;
}

/** The claim's cases; fast-check draws and shrinks the record of generated values. */
export function domainArbitrary(claim: Pick<ClaimFile, 'domain' | 'variants'>): fc.Arbitrary<ClaimCase> {
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [path, axis] of Object.entries(claim.domain.generate)) record[path] = arbitraryOf(axis);
  return fc.record(record).map((drawn) => ({
    spec: buildCaseSpec(claim.domain, drawn),
    variants: Object.fromEntries(Object.entries(claim.variants).map(([name, overrides]) => [name, buildCaseSpec(claim.domain, drawn, overrides)])),
  }));
}
