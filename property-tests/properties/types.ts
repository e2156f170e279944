import type fc from 'fast-check';
import type { ExperimentSpec } from '../../core/spec/schema';
import { predictPlateaus } from '../../core/theory/predictPlateaus';
import { componentEnclosure } from '../../core/theory/enclosure';
import { stepCountBounds } from '../../core/theory/stepCountBounds';

/** The parts of core/theory a property relies on; tests swap in wrong ones to see them caught. */
export interface Theory {
  stepCountBounds: typeof stepCountBounds;
  predictPlateaus: typeof predictPlateaus;
  componentEnclosure: typeof componentEnclosure;
}

export const coreTheory: Theory = { stepCountBounds, predictPlateaus, componentEnclosure };

export type Verdict = 'passed' | 'hypothesis-not-met';

export interface CheckContext {
  theory: Theory;
  /** Adds a value to a named statistic of the property's report (coverage ratios, counts). */
  record(statistic: string, value: number): void;
}

/** One claim of docs/theory.md §6 as a property over generated specs. */
export interface TheoryProperty {
  name: string;
  /** The claim, in words, with its number in docs/theory.md. */
  claim: string;
  arbitrary(options: { maxN?: number }): fc.Arbitrary<ExperimentSpec>;
  /** Throws a PropertyFailure when the claim fails on this spec. */
  check(spec: ExperimentSpec, context: CheckContext): Verdict | Promise<Verdict>;
}

export class PropertyFailure extends Error {
  override readonly name = 'PropertyFailure';
}

export function fail(message: string): never {
  throw new PropertyFailure(message);
}
