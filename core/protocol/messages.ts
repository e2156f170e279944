import { z } from 'zod';
import { InputError } from '../errors';
import { formatIssue } from '../spec/parseSpec';
import { experimentSpecSchema, MAX_MATRIX_N } from '../spec/schema';
import { isNumbers, runResultSchema, trajectoryPointSchema } from '../result';
import { sweepSummarySchema } from '../sweep/phaseDiagram';

// The one message protocol between the extension host and the Lab webview. Both sides validate
// what they receive with `parseHostMessage` / `parseWebviewMessage`; a malformed message is an
// InputError whose one-line message names the field. Messages are plain JSON (VS Code's
// `postMessage` serializes them), so matrices travel as number[][].

/** Bumped when a message changes shape; the webview announces it in `ready`. */
export const PROTOCOL_VERSION = 2;

/** Backends the Lab runs the matrix path on. */
const LAB_BACKENDS = ['webgl', 'cpu'] as const;
export type LabBackend = (typeof LAB_BACKENDS)[number];

/** What the page is doing; mirrored on `<body data-state>`. Paused runs stay `running`. */
const LAB_STATES = ['idle', 'running', 'done', 'error'] as const;
export type LabState = (typeof LAB_STATES)[number];

const EXPORT_FORMATS = ['png', 'svg', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const THEME_KINDS = ['dark', 'light', 'highContrast', 'highContrastLight'] as const;
export type ThemeKind = (typeof THEME_KINDS)[number];

const matrix = z.custom<number[][]>(
  (v) => Array.isArray(v) && v.length >= 1 && v.length <= MAX_MATRIX_N && v.every(isNumbers),
  `expected a matrix as 1 to ${MAX_MATRIX_N} rows of numbers`,
);

/**
 * A part of a run marked on every plot: one step (a vertical line) or an interval of steps (a
 * band), with the line that says what is marked. A claim's counterexample opens with its
 * violation marked: where the claim's expectation is false.
 */
const runMarkSchema = z
  .strictObject({
    step: z.int().min(0).optional(),
    steps: z.tuple([z.int().min(0), z.int().min(0)]).optional(),
    label: z.string().min(1).max(500),
  })
  .superRefine((m, ctx) => {
    if ((m.step === undefined) === (m.steps === undefined)) ctx.addIssue({ code: 'custom', path: ['step'], message: 'expected exactly one of step and steps' });
    if (m.steps && m.steps[0] > m.steps[1]) ctx.addIssue({ code: 'custom', path: ['steps'], message: `expected [first, last] with first ≤ last, got [${m.steps[0]}, ${m.steps[1]}]` });
  });
export type RunMark = z.output<typeof runMarkSchema>;

/** Messages from the extension host (or the stand-in host) to the webview. */
const hostMessageSchema = z.discriminatedUnion('type', [
  /**
   * Start a run (cancelling any run in progress). `target` carries Ŵ for `file` and `mnist`
   * targets, which the webview cannot read itself; `backend` forces one (default: webgl, with
   * the CPU fallback); `mark` is drawn on the plots of this run (a counterexample's violation).
   */
  z
    .strictObject({
      type: z.literal('run'),
      spec: experimentSpecSchema,
      target: matrix.optional(),
      backend: z.enum(LAB_BACKENDS).optional(),
      mark: runMarkSchema.optional(),
    })
    .superRefine((m, ctx) => {
      const n = m.spec.n;
      if (m.target && (m.target.length !== n || m.target.some((row) => row.length !== n)))
        ctx.addIssue({ code: 'custom', path: ['target'], message: `must be ${n}×${n} (spec.n), got ${m.target.length} rows` });
      const last = m.mark?.step ?? m.mark?.steps?.[1];
      if (last !== undefined && last > m.spec.steps) ctx.addIssue({ code: 'custom', path: ['mark'], message: `marks step ${last}, past the run's ${m.spec.steps} steps` });
    }),
  z.strictObject({ type: z.literal('pause') }),
  z.strictObject({ type: z.literal('resume') }),
  z.strictObject({ type: z.literal('cancel') }),
  /** Show a saved result (no live run, no iterate heatmaps). */
  z.strictObject({ type: z.literal('loadResult'), result: runResultSchema }),
  /**
   * Show a sweep folder's summary in the Sweep view (phase diagrams, docs/sweeps.md). `title`
   * names the folder; a cell's run is asked for with `openSweepRun`.
   */
  z.strictObject({ type: z.literal('sweep'), title: z.string().min(1).max(500), summary: sweepSummarySchema }),
  /** The colour theme changed (VS Code also sets its CSS variables and body classes itself). */
  z.strictObject({ type: z.literal('theme'), kind: z.enum(THEME_KINDS) }),
  /** A line for the status bar of the page (e.g. "saved lab.png"). */
  z.strictObject({ type: z.literal('notice'), level: z.enum(['info', 'warning', 'error']), text: z.string().max(2000) }),
]);

/** Messages from the webview to the host. */
const webviewMessageSchema = z.discriminatedUnion('type', [
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
   * Open one run of the sweep shown (a cell of a phase diagram was clicked): the host answers
   * with `loadResult` (or a `notice` saying why not). `file` is the summary row's `file`.
   */
  z.strictObject({ type: z.literal('openSweepRun'), file: z.string().regex(/^run-[0-9a-f]{16}\.json$/, 'expected run-HASH.json (16 hex digits)') }),
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
