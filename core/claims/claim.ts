import type { ExperimentSpec } from '../spec/schema';
import type { CompiledExpression, ExpressionFalsehood } from './expression';
import type { ClaimFile } from './schema';

// A claim read from its file, and what checking it reports (docs/claims.md).

type ClaimKind = 'theorem' | 'observation';

/** 1-based, in the claim file. */
export interface ClaimPosition {
  line: number;
  column: number;
}

/** A claim that cannot be checked (bad JSON, a field or name that does not exist, a type error). */
export class ClaimError extends Error {
  override readonly name = 'ClaimError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly position?: ClaimPosition,
  ) {
    super(`${file}${position ? `:${position.line}:${position.column}` : ''}: ${reason}`);
  }
}

export interface Claim {
  file: string;
  name: string;
  kind: ClaimKind;
  statement: string;
  source?: string;
  /** The file as parsed (defaults filled in). */
  definition: ClaimFile;
  given?: CompiledExpression;
  expect: CompiledExpression;
  /** Observations: the least share of applicable cases on which `expect` must hold. */
  frequency?: number;
  /** Cases generated unless the caller asks for another number. */
  runs: number;
  /** Where `expect` (and `given`) start in the file, for editors. */
  positions: { claim: ClaimPosition; expect: ClaimPosition; given?: ClaimPosition };
}

export interface ClaimViolation extends ExpressionFalsehood {
  /** One line a human reads. */
  message: string;
}

export interface ClaimCounterexample {
  /** A spec `dfl run` replays to the same violation. */
  spec: ExperimentSpec;
  /** The case's variant runs (a claim with `variants`), each a spec `dfl run` replays. */
  variants?: Record<string, ExperimentSpec>;
  violation: ClaimViolation;
  shrinks: number;
  seed: number;
  /** fast-check's replay path of the shrunk case. */
  path?: string;
}

export interface ClaimReport {
  file: string;
  name: string;
  kind: ClaimKind;
  statement: string;
  status: 'holds' | 'fails';
  /** Generated cases run. */
  cases: number;
  /** Cases where `given` held. */
  applicable: number;
  /** Of the applicable ones, those where `expect` held. */
  holding: number;
  /** Observations: the required frequency and the 95 % Wilson interval of holding/applicable. */
  required?: number;
  interval?: { low: number; high: number };
  /** A failed theorem's shrunk counterexample; an observation's first failing case. */
  counterexample?: ClaimCounterexample;
  /** Why a claim fails without a counterexample (its `given` never held). */
  note?: string;
  seconds: number;
}
