import { z } from 'zod';
import { InputError } from './errors';
import { formatIssue } from './spec/parseSpec';
import { experimentSpecSchema } from './spec/schema';

// The result of a run, as one zod schema from which the TypeScript types are derived: what
// `runExperiment` returns, `dfl run --out` and the extension's run store write, `dfl report`,
// the Runs view and the message protocol read back, and the Lab shows. Field names are a
// contract with saved files (docs/architecture.md). Unknown fields of the recording are dropped
// on reading, not refused; `spec` is read with the strict spec schema, because it is what a rerun
// runs, and a field this version does not know would change what that is.

// Results carry up to 256 singular values per logged step for up to 10⁵ steps: the numeric
// arrays are checked by plain loops (zod's per-element parsing is ~100× slower on them).
const isNumber = (x: unknown): x is number => typeof x === 'number';
export const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNumber);
const numberArray = z.custom<number[]>(isNumbers, 'expected an array of numbers');
const numberRows = z.custom<number[][]>((v) => Array.isArray(v) && v.every(isNumbers), 'expected an array of arrays of numbers');
const stepArray = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= 0), 'expected an array of step numbers');

/** One logged step, as streamed while a run goes on. */
export const trajectoryPointSchema = z.object({
  step: z.int().min(0),
  singularValues: numberArray,
  effectiveRank: z.number(),
  loss: z.number(),
  distanceToBestRank: numberArray,
  groundTruthError: z.number().optional(),
  /** ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…N−1, when the spec records balancedness. */
  balancedness: numberArray.optional(),
});

/** Products W(k) kept by a run whose spec asks for `record.snapshots` (n×n, row-major rows). */
const snapshotsSchema = z.object({
  steps: stepArray,
  /** Why each step was kept: "requested" or "midpoint of the L = 2 plateau 266–349". */
  reasons: z.array(z.string()),
  matrices: z.array(numberRows),
  /** Ŵ and its best rank-L approximations Ŵ_L (docs/theory.md §5), L = 1…min(4, Lmax). */
  target: numberRows,
  bestRank: z.array(z.object({ L: z.int().min(1), matrix: numberRows })),
});

/** A measured ε-plateau of the effective rank at erank(Ŵ_L): steps inclusive. */
const plateauSchema = z.object({
  L: z.int().min(1),
  start: z.int().min(0),
  end: z.int().min(0),
  epsilon: z.number(),
  /** Plateau or crossing (Definition 5.11); absent in results saved before it was recorded. */
  kind: z.enum(['plateau', 'crossing']).optional(),
});

/** A predicted plateau (docs/theory.md §5, Theorem 5.10): steps inclusive; `epsilon` is the certified deviation. */
const predictedPlateauSchema = plateauSchema.extend({
  /** Whether the hypotheses of the theorem hold for this spec (identity init, symmetric target, (4.1)). */
  hypothesesMet: z.boolean(),
});

const stopReasonSchema = z.object({
  kind: z.enum(['completed', 'cancelled', 'diverged']),
  reason: z.string(),
  /** The last step that was simulated. */
  step: z.int().min(0),
});

export const runResultSchema = z.object({
  spec: experimentSpecSchema,
  /** The shipped preset this run belongs to, when run with `dfl run --preset` (`dfl report` groups by it). */
  preset: z.string().optional(),
  engine: z.object({
    path: z.enum(['spectral', 'matrix']),
    backend: z.string(),
    precision: z.enum(['float64', 'float32']),
    /** The BLAS of the matrix path's products (library and threads), or "none (…)" and why. */
    blas: z.string().optional(),
    /** What computed the logged singular values (LAPACK and its library, or the TypeScript routine). */
    lapack: z.string().optional(),
  }),
  target: z.object({ description: z.string(), singularValues: numberArray }),
  steps: stepArray,
  /** Descending, per logged step (the largest `singularValuesKept` of them). */
  singularValues: numberRows,
  singularValuesKept: z.int().min(0),
  effectiveRank: numberArray,
  loss: numberArray,
  /** ‖W(k) − Ŵ_L‖_F per logged step, L = 1…targetEffectiveRanks.length. */
  distanceToBestRank: numberRows,
  /** ‖W(k) − W*‖_F per logged step, for targets with a clean ground truth. */
  groundTruthError: numberArray.optional(),
  targetEffectiveRanks: numberArray,
  /** Per logged step, ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F for j = 1…N−1 (spec.record.balancedness). */
  balancedness: numberRows.optional(),
  /** W(k) at chosen steps (spec.record.snapshots). */
  snapshots: snapshotsSchema.optional(),
  predicted: z.object({
    plateaus: z.array(predictedPlateauSchema),
    /** Per L without a prediction, why (the failing hypothesis of Theorem 5.10, with numbers); absent in older results. */
    missing: z.array(z.object({ L: z.int().min(1), reason: z.string() })).optional(),
    /** The hypotheses of Theorem 5.10 that fail for this spec, in words (empty when all hold). */
    notMet: z.array(z.string()).optional(),
  }),
  measured: z.object({ plateaus: z.array(plateauSchema) }),
  stopped: stopReasonSchema,
  /** Seconds of wall-clock time (information only; never compared in tests). */
  elapsedSeconds: z.number(),
}).superRefine((r, ctx) => {
  // One entry per logged step in every series, rows of the stored widths: a ragged result would
  // parse and then draw nothing.
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const points = r.steps.length;
  for (const key of ['singularValues', 'effectiveRank', 'loss', 'distanceToBestRank'] as const)
    if (r[key].length !== points) issue([key], `has ${r[key].length} entries but steps has ${points}`);
  if (r.groundTruthError && r.groundTruthError.length !== points) issue(['groundTruthError'], `has ${r.groundTruthError.length} entries but steps has ${points}`);
  const ragged = r.singularValues.findIndex((row) => row.length !== r.singularValuesKept);
  if (ragged >= 0) issue(['singularValues', ragged], `has ${r.singularValues[ragged].length} values but singularValuesKept is ${r.singularValuesKept}`);
  const width = r.distanceToBestRank[0]?.length ?? 0;
  const short = r.distanceToBestRank.findIndex((row) => row.length !== width);
  if (short >= 0) issue(['distanceToBestRank', short], `has ${r.distanceToBestRank[short].length} distances but the first step has ${width}`);
  const unordered = r.steps.findIndex((step, i) => i > 0 && step <= r.steps[i - 1]);
  if (unordered >= 0) issue(['steps', unordered], 'steps must increase');
});

export type TrajectoryPoint = z.output<typeof trajectoryPointSchema>;
export type Snapshots = z.output<typeof snapshotsSchema>;
export type PredictedPlateau = z.output<typeof predictedPlateauSchema>;
export type StopReason = z.output<typeof stopReasonSchema>;
export type RunResult = z.output<typeof runResultSchema>;

/**
 * Reads a result file's JSON (already parsed); throws an InputError naming the file and the first
 * field that does not fit. `dfl report`, the run store and the Lab's `loadResult` read results so.
 */
export function parseRunResult(value: unknown, file: string): RunResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${file}: not a dfl result (expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`);
  const parsed = runResultSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InputError(`${file}: not a valid dfl result: ${formatIssue(parsed.error.issues[0], value, 'result')}`);
}
