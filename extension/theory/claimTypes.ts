import type { ExperimentSpec } from '../../core/spec/schema';

// PROVISIONAL: the claim engine's report types as its contract states them, until the engine
// lands; then these become re-exports of the engine's own.

export type ClaimKind = 'theorem' | 'observation';
export interface ClaimPosition {
  line: number;
  column: number;
}
export interface ClaimViolation {
  where: { step?: number; steps?: [number, number]; component?: number; plateau?: number };
  expression: string;
  values: Record<string, number | string | boolean>;
  message: string;
}
export interface ClaimCounterexample {
  spec: ExperimentSpec;
  violation: ClaimViolation;
  shrinks: number;
  seed: number;
  path?: string;
}
export interface ClaimReport {
  file: string;
  name: string;
  kind: ClaimKind;
  statement: string;
  status: 'holds' | 'fails';
  cases: number;
  applicable: number;
  holding: number;
  required?: number;
  interval?: { low: number; high: number };
  counterexample?: ClaimCounterexample;
  note?: string;
  seconds: number;
}
export interface ClaimCheckOptions {
  runs?: number;
  seed?: number;
  signal?: AbortSignal;
  onCase?: (done: number, total: number) => void;
}
