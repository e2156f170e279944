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
export const MAX_RECORDED_SNAPSHOT_N = 128;
/** Largest sensing operator, m·n² entries (float32, 4 bytes each: 256 MB). */
export const MAX_SENSING_ENTRIES = 64 * 1024 * 1024;
/** Most logged steps of a run (`log.every` included; `log.points` has its own, lower, bound). */
export const MAX_LOGGED_STEPS = 1_000_000;
/** Largest trajectory a run may keep in memory: 8 bytes per stored number. */
export const MAX_RESULT_BYTES = 1024 * 1024 * 1024;
/** Singular values stored per logged step (all of them for n ≤ 256). */
export const MAX_STORED_SINGULAR_VALUES = 256;
/** Ranks L whose distance ‖W − Ŵ_L‖ is tracked. */
export const MAX_TRACKED_RANK = 32;

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
  // Factors aligned with Ŵ = UΣVᵀ (docs/theory.md Theorem 2.2): W_1 = αR_1Vᵀ, W_j = αR_jR_{j−1}ᵀ,
  // W_N = αUR_{N−1}ᵀ, with R_j = I, or Haar-random orthogonal from `seed` when one is given.
  z.strictObject({ kind: z.literal('aligned'), alpha: positive(), seed: z.int().min(0).max(2 ** 31 - 1).optional() }),
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
    // Every limit that the spec alone decides is checked here, before a target is built or any
    // memory is allocated (docs/reliability.md).
    const dense = denseTargetReason(spec);
    if (dense && n > MAX_MATRIX_N) issue(['n'], `${n} is too large for ${dense} (at most ${MAX_MATRIX_N}; only a spectrum target on the spectral path goes up to ${MAX_N})`);
    else {
      const matrixPath = matrixPathReason(spec);
      if (matrixPath && n > MAX_MATRIX_N) issue(['n'], `${n} is too large for the matrix path, which ${matrixPath} needs (at most ${MAX_MATRIX_N}; the spectral path has no such limit)`);
    }
    if (problem.kind === 'sensing' && problem.measurements * n * n > MAX_SENSING_ENTRIES)
      issue(['problem', 'measurements'], `${problem.measurements} measurements of a ${n}×${n} matrix need ${problem.measurements * n * n} operator entries (limit ${MAX_SENSING_ENTRIES})`);
    const logged = loggedStepCount(spec.steps, spec.log);
    const bytes = estimateTrajectoryBytes(spec);
    if (logged > MAX_LOGGED_STEPS || bytes > MAX_RESULT_BYTES)
      issue(
        ['log', 'every' in spec.log ? 'every' : 'points'],
        `${'every' in spec.log ? spec.log.every : spec.log.points} logs ${logged} steps, a result of about ${formatBytes(bytes)} (at most ${MAX_LOGGED_STEPS} steps and ${formatBytes(MAX_RESULT_BYTES)}; log fewer points)`,
      );
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
    if (spec.record?.snapshots !== undefined && n > MAX_RECORDED_SNAPSHOT_N)
      issue(['record', 'snapshots'], `snapshots are kept for n ≤ ${MAX_RECORDED_SNAPSHOT_N} (got n = ${n})`);
    if (Array.isArray(spec.record?.snapshots)) {
      const late = spec.record.snapshots.find((k) => k > spec.steps);
      if (late !== undefined) issue(['record', 'snapshots'], `step ${late} is after the last step ${spec.steps}`);
    }
    if (problem.kind === 'sensing' && problem.measurements > n * n)
      issue(['problem', 'measurements'], `${problem.measurements} measurements exceed n² = ${n * n}`);
  });

type SpecShape = {
  n: number;
  target: z.output<typeof targetSchema>;
  init: z.output<typeof initSchema>;
  problem: z.output<typeof problemSchema>;
  engine: 'auto' | 'spectral' | 'matrix';
};

/** Why the target is a dense n×n matrix with O(n³) decompositions, or undefined for a spectrum. */
function denseTargetReason(spec: SpecShape): string | undefined {
  switch (spec.target.kind) {
    case 'lowRankPlusNoise':
      return 'a lowRankPlusNoise target (a dense n×n matrix)';
    case 'matrix':
      return 'an inline matrix target';
    case 'file':
      return 'a matrix file target';
    default:
      return undefined;
  }
}

/** What makes a run take the matrix path whatever its target, or undefined. */
function matrixPathReason(spec: SpecShape): string | undefined {
  if (spec.engine === 'matrix') return 'engine: "matrix"';
  if (spec.init.kind !== 'identity' && spec.init.kind !== 'aligned') return `init ${spec.init.kind}`;
  if (spec.problem.kind !== 'estimation') return `the ${spec.problem.kind} problem`;
  return undefined;
}

/** How many steps a run logs (the length of its log schedule: 0, the last step and those between). */
export function loggedStepCount(steps: number, log: z.output<typeof logSchema>): number {
  if (steps === 0) return 1;
  if ('every' in log) return Math.floor((steps - 1) / log.every) + 2;
  return Math.min(log.points, steps + 1);
}

/** The memory a run's trajectory takes (8 bytes per stored number), known from the spec alone. */
export function estimateTrajectoryBytes(spec: { n: number; steps: number; log: z.output<typeof logSchema> }): number {
  const perPoint = Math.min(spec.n, MAX_STORED_SINGULAR_VALUES) + Math.min(spec.n, MAX_TRACKED_RANK) + 4;
  return 8 * perPoint * loggedStepCount(spec.steps, spec.log);
}

/** `1.5 GB`, `300 MB`: sizes in messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toPrecision(3)} ${units[unit]}`;
}

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
