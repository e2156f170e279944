import { z } from 'zod';
import { InputError } from '../errors';
import { formatIssue } from '../spec/parseSpec';
import { experimentSpecSchema, MAX_MATRIX_N } from '../spec/schema';
import type { RunResult, TrajectoryPoint } from '../result';

// The one message protocol between the extension host and the Lab webview. Both sides validate
// what they receive with `parseHostMessage` / `parseWebviewMessage`; a malformed message is an
// InputError whose one-line message names the field. Messages are plain JSON (VS Code's
// `postMessage` serializes them), so matrices travel as number[][].

/** Bumped when a message changes shape; the webview announces it in `ready`. */
export const PROTOCOL_VERSION = 1;

/** Backends the Lab runs the matrix path on. */
export const LAB_BACKENDS = ['webgl', 'cpu'] as const;
export type LabBackend = (typeof LAB_BACKENDS)[number];

/** What the page is doing; mirrored on `<body data-state>`. Paused runs stay `running`. */
export const LAB_STATES = ['idle', 'running', 'done', 'error'] as const;
export type LabState = (typeof LAB_STATES)[number];

export const EXPORT_FORMATS = ['png', 'svg', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const THEME_KINDS = ['dark', 'light', 'highContrast', 'highContrastLight'] as const;
export type ThemeKind = (typeof THEME_KINDS)[number];

// Results carry up to 256 singular values per logged step for up to 10⁵ steps: the numeric
// arrays are checked by plain loops (zod's per-element parsing is ~100× slower on them).
const isNumber = (x: unknown): x is number => typeof x === 'number';
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNumber);
const finiteArray = z.custom<number[]>(isNumbers, 'expected an array of numbers');
const numberRows = z.custom<number[][]>((v) => Array.isArray(v) && v.every(isNumbers), 'expected an array of arrays of numbers');
const stepArray = z.custom<number[]>((v) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= 0), 'expected an array of step numbers');
const matrix = z.custom<number[][]>(
  (v) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_MATRIX_N && v.every(isNumbers),
  `expected a matrix as 1 to ${MAX_MATRIX_N} rows of numbers`,
);

const trajectoryPointSchema = z.object({
  step: z.int().min(0),
  singularValues: finiteArray,
  effectiveRank: z.number(),
  loss: z.number(),
  distanceToBestRank: finiteArray,
  groundTruthError: z.number().optional(),
  balancedness: finiteArray.optional(),
});

const plateauSchema = z.object({ L: z.int().min(1), start: z.int().min(0), end: z.int().min(0), epsilon: z.number(), kind: z.enum(['plateau', 'crossing']).optional() });
const predictedPlateauSchema = plateauSchema.extend({ hypothesesMet: z.boolean() });

/**
 * The RunResult of core/result.ts. Unknown fields (at any level: core adds some, e.g. on
 * predicted plateaus) are dropped, not refused; a required field added to RunResult without
 * adding it here fails to compile (see the checks below).
 */
export const runResultSchema = z.object({
  spec: experimentSpecSchema,
  preset: z.string().optional(),
  engine: z.object({
    path: z.enum(['spectral', 'matrix']),
    backend: z.string(),
    precision: z.enum(['float64', 'float32']),
    blas: z.string().optional(),
    lapack: z.string().optional(),
  }),
  target: z.object({ description: z.string(), singularValues: finiteArray }),
  steps: stepArray,
  singularValues: numberRows,
  singularValuesKept: z.int().min(0),
  effectiveRank: finiteArray,
  loss: finiteArray,
  distanceToBestRank: numberRows,
  groundTruthError: finiteArray.optional(),
  targetEffectiveRanks: finiteArray,
  balancedness: numberRows.optional(),
  snapshots: z
    .object({
      steps: stepArray,
      reasons: z.array(z.string()),
      matrices: z.array(numberRows),
      target: numberRows,
      bestRank: z.array(z.object({ L: z.int().min(1), matrix: numberRows })),
    })
    .optional(),
  predicted: z.object({ plateaus: z.array(predictedPlateauSchema) }),
  measured: z.object({ plateaus: z.array(plateauSchema) }),
  stopped: z.object({ kind: z.enum(['completed', 'cancelled', 'diverged']), reason: z.string(), step: z.int().min(0) }),
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

/** Validates a saved result (a `dfl run` or Lab JSON file); throws one InputError naming `source` and the field. */
export function parseRunResult(input: unknown, source: string): z.output<typeof runResultSchema> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new InputError(`${source}: not a dfl result (expected an object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input})`);
  const result = runResultSchema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(`${source}: not a valid dfl result: ${formatIssue(result.error.issues[0], input, 'result')}`);
}

/** Messages from the extension host (or the stand-in host) to the webview. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /**
   * Start a run (cancelling any run in progress). `target` carries Ŵ for `file` and `mnist`
   * targets, which the webview cannot read itself; `backend` forces one (default: webgl, with
   * the CPU fallback).
   */
  z
    .strictObject({
      type: z.literal('run'),
      spec: experimentSpecSchema,
      target: matrix.optional(),
      backend: z.enum(LAB_BACKENDS).optional(),
    })
    .superRefine((m, ctx) => {
      const n = m.spec.n;
      if (m.target && (m.target.length !== n || m.target.some((row) => row.length !== n)))
        ctx.addIssue({ code: 'custom', path: ['target'], message: `must be ${n}×${n} (spec.n), got ${m.target.length} rows` });
    }),
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('cancel') }),
  /** Show a saved result (no live run, no iterate heatmaps). */
  z.strictObject({ type: z.literal('loadResult'), result: runResultSchema }),
  /** The colour theme changed (VS Code also sets its CSS variables and body classes itself). */
  z.strictObject({ type: z.literal('theme'), kind: z.enum(THEME_KINDS) }),
  /** A line for the status bar of the page (e.g. "saved lab.png"). */
  z.strictObject({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string().max(2000) }),
]);

/** Messages from the webview to the host. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  /** The page has loaded and listens. */
  z.strictObject({ type: z.literal('ready'), protocol: z.int(), backend: z.enum(LAB_BACKENDS) }),
  /** The page's state changed; `fallback` explains why the CPU backend is in use. */
  z.strictObject({
    type: z.literal('state'),
    state: z.enum(LAB_STATES),
    paused: z.boolean(),
    backend: z.enum(LAB_BACKENDS),
    fallback: z.string().optional(),
    step: z.int().min(0).optional(),
    steps: z.int().min(0).optional(),
  }),
  /** Logged steps since the last `points` message (batched, at most one message per frame). */
  z.strictObject({ type: z.literal('points'), runId: z.int().min(1), points: z.array(trajectoryPointSchema) }),
  z.strictObject({ type: z.literal('done'), runId: z.int().min(1), result: runResultSchema }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
  /**
   * The page wants Ŵ for a `file` or `mnist` spec the user started from the page; the host
   * answers with a `run` carrying `target` (or a `notice` saying why not).
   */
  z.strictObject({ type: z.literal('needTarget'), spec: experimentSpecSchema }),
  /**
   * Save a file. `encoding: "base64"` for PNG, `utf8` for SVG, JSON and CSV. The host shows a
   * save dialog; the stand-in host downloads it.
   */
  z.strictObject({
    type: z.literal('export'),
    format: z.enum(EXPORT_FORMATS),
    fileName: z.string().min(1).max(200),
    encoding: z.enum(['utf8', 'base64']),
    data: z.string(),
  }),
]);

export type HostMessage = z.output<typeof hostMessageSchema>;
export type WebviewMessage = z.output<typeof webviewMessageSchema>;
/** What a sender may write (spec defaults optional). */
export type HostMessageInput = z.input<typeof hostMessageSchema>;
export type WebviewMessageInput = z.input<typeof webviewMessageSchema>;

// What the validators return is usable as core's RunResult and TrajectoryPoint; these checks
// fail to compile when core/result.ts and the schemas drift apart.
type Assignable<A, B> = A extends B ? true : false;
const _resultMatches: Assignable<z.output<typeof runResultSchema>, RunResult> = true;
const _pointMatches: Assignable<z.output<typeof trajectoryPointSchema>, TrajectoryPoint> = true;
void _resultMatches;
void _pointMatches;

function parseWith<T>(schema: z.ZodType<T>, input: unknown, root: string): T {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new InputError(`${root}: expected an object, got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}`);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const type = (input as { type?: unknown }).type;
  const where = typeof type === 'string' ? `${root} "${type.slice(0, 40)}"` : root;
  throw new InputError(formatIssue(result.error.issues[0], input, where));
}

/** Validates a message received by the webview; throws an InputError naming the field. */
export function parseHostMessage(input: unknown): HostMessage {
  return parseWith(hostMessageSchema, input, 'host message');
}

/** Validates a message received by the host; throws an InputError naming the field. */
export function parseWebviewMessage(input: unknown): WebviewMessage {
  return parseWith(webviewMessageSchema, input, 'webview message');
}
