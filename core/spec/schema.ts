import { z } from 'zod';

// The experiment spec (docs/architecture.md), as one zod schema: the parser, the TypeScript types and the
// JSON Schema for `*.dfl.json` files all come from here, so they cannot drift apart.

/** Largest n of any engine (the spectral path is O(n) per step). */
export const MAX_N = 100_000;
/** Largest n of the matrix path and of loaded matrices: N·n² float32 factors plus float64 SVDs. */
export const MAX_MATRIX_N = 1024;
export const MAX_DEPTH = 32;
export const MAX_STEPS = 10_000_000;
/** Largest n whose snapshots W(k) a run keeps (plateau midpoints keep every logged product until the end). */
export const MAX_SNAPSHOT_N = 128;

const finite = () => z.number();
const positive = () => z.number().positive();
const seed = () => z.int().min(0).max(2 ** 31 - 1).default(0);

const spectrumTarget = z.strictObject({
  kind: z.literal('spectrum'),
  eigenvalues: z.array(finite()).min(1),
  seed: seed(),
});
const lowRankPlusNoiseTarget = z.strictObject({
  kind: z.literal('lowRankPlusNoise'),
  rank: z.int().min(1),
  noise: z.number().min(0),
  seed: seed(),
  symmetric: z.boolean().default(true),
});
const mnistTarget = z.strictObject({
  kind: z.literal('mnist'),
  index: z.int().min(0),
  digit: z.int().min(0).max(9).optional(),
});
const matrixTarget = z.strictObject({
  kind: z.literal('matrix'),
  data: z.array(z.array(finite())).min(1),
});
const fileTarget = z.strictObject({
  kind: z.literal('file'),
  path: z.string().min(1),
});

export const targetSchema = z.discriminatedUnion('kind', [spectrumTarget, lowRankPlusNoiseTarget, mnistTarget, matrixTarget, fileTarget]);

export const initSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('identity'), alpha: positive() }),
  z.strictObject({ kind: z.literal('gaussian'), alpha: positive(), seed: seed() }),
  z.strictObject({ kind: z.literal('orthogonal'), alpha: positive(), seed: seed() }),
]);

export const problemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('estimation') }),
  z.strictObject({ kind: z.literal('sensing'), measurements: z.int().min(1), seed: seed() }),
  z.strictObject({ kind: z.literal('completion'), observed: z.number().positive().max(1), seed: seed() }),
]);

export const logSchema = z.union([
  z.strictObject({ points: z.int().min(2).max(100_000), scale: z.enum(['log', 'linear']).default('log') }),
  z.strictObject({ every: z.int().min(1) }),
]);

/**
 * Optional extra recordings of a run (docs/replay.md): `snapshots` keeps W(k) at the given steps
 * (added to the logged steps) or at the middle of each rank's longest measured plateau, and
 * `balancedness` logs ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…N−1, at every logged step.
 */
export const recordSchema = z.strictObject({
  snapshots: z.union([z.literal('plateauMidpoints'), z.array(z.int().min(0)).min(1).max(64)]).optional(),
  balancedness: z.boolean().default(false),
});

export const effectiveRankMeasures = ['entropy', 'stable', 'nuclear', 'numerical'] as const;

export const experimentSpecSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    n: z.int().min(1).max(MAX_N),
    depth: z.int().min(1).max(MAX_DEPTH),
    target: targetSchema,
    init: initSchema,
    problem: problemSchema.default({ kind: 'estimation' }),
    stepSize: positive(),
    steps: z.int().min(0).max(MAX_STEPS),
    log: logSchema.default({ points: 400, scale: 'log' }),
    effectiveRank: z.enum(effectiveRankMeasures).default('entropy'),
    epsilon: z.number().positive().max(1e3).default(0.1),
    engine: z.enum(['auto', 'spectral', 'matrix']).default('auto'),
    record: recordSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const { n, target, problem } = spec;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (target.kind === 'spectrum' && target.eigenvalues.length > n)
      issue(['target', 'eigenvalues'], `has ${target.eigenvalues.length} eigenvalues but n is ${n}`);
    if (target.kind === 'lowRankPlusNoise' && target.rank > n) issue(['target', 'rank'], `rank ${target.rank} exceeds n = ${n}`);
    if (target.kind === 'mnist' && n !== 28) issue(['n'], `an MNIST target is 28×28, so n must be 28 (got ${n})`);
    if (target.kind === 'matrix') {
      if (target.data.length !== n) issue(['target', 'data'], `has ${target.data.length} rows but n is ${n}`);
      else {
        const bad = target.data.findIndex((row) => row.length !== n);
        if (bad >= 0) issue(['target', 'data', bad], `has ${target.data[bad].length} entries but the matrix must be ${n}×${n}`);
      }
    }
    if (spec.record?.snapshots !== undefined && n > MAX_SNAPSHOT_N)
      issue(['record', 'snapshots'], `snapshots are kept for n ≤ ${MAX_SNAPSHOT_N} (got n = ${n})`);
    if (Array.isArray(spec.record?.snapshots)) {
      const late = spec.record.snapshots.find((k) => k > spec.steps);
      if (late !== undefined) issue(['record', 'snapshots'], `step ${late} is after the last step ${spec.steps}`);
    }
    if (problem.kind === 'sensing' && problem.measurements > n * n)
      issue(['problem', 'measurements'], `${problem.measurements} measurements exceed n² = ${n * n}`);
  });

/** A validated experiment spec with every default filled in. */
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
/** What a user may write: defaults optional. */
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;
export type TargetSpec = ExperimentSpec['target'];
export type InitSpec = ExperimentSpec['init'];
export type ProblemSpec = ExperimentSpec['problem'];
export type LogSpec = ExperimentSpec['log'];
export type RecordSpec = NonNullable<ExperimentSpec['record']>;
export type EffectiveRankMeasure = (typeof effectiveRankMeasures)[number];
