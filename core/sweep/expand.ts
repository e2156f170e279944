import { InputError, RunCancelledError } from '../errors';
import { createRng } from '../random';
import { formatIssue, parseJson, parseSpec } from '../spec/parseSpec';
import { experimentSpecSchema, type ExperimentSpec } from '../spec/schema';
import { SEEDLESS_PATHS, sharesSeedlessKey } from '../spec/seedlessKey';
import { canonicalJson, sha256Hex, specHash } from './hash';
import { AXIS_PATH, MAX_SWEEP_AXES, MAX_SWEEP_RUNS, sweepSchema, type AxisSpec, type SweepFile } from './schema';

/** One run of a sweep: its place in the grid, the axis values that made it, the spec and its hash. */
export interface SweepPoint {
  /** Position in the full grid (first axis slowest); the summary's row order. */
  index: number;
  /** Axis path → the value this run has. */
  values: Record<string, unknown>;
  spec: ExperimentSpec;
  hash: string;
}

export interface ExpandedSweep {
  sweep: SweepFile;
  /** Axis paths in file order (the summary's axis columns). */
  axes: string[];
  points: SweepPoint[];
  /** Size of the full grid (≥ points.length with `sample`). */
  gridSize: number;
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

const rangeKind = (axis: AxisSpec): 'list' | 'uniform' | 'logUniform' | 'grid' =>
  Array.isArray(axis) ? 'list' : 'uniform' in axis ? 'uniform' : 'logUniform' in axis ? 'logUniform' : 'grid';

/** The values of a list, linear, log or seeds axis (continuous axes have none). */
function axisValues(axis: AxisSpec, where: string): unknown[] {
  if (Array.isArray(axis)) return axis;
  if ('seeds' in axis) return Array.from({ length: axis.seeds }, (_, i) => axis.from + i);
  if ('linear' in axis || 'log' in axis) {
    const [a, b] = 'linear' in axis ? axis.linear : axis.log;
    const k = axis.count;
    const at = (i: number) => {
      if (k === 1) return a;
      if (i === k - 1) return b; // the end exactly, not within rounding
      return 'linear' in axis ? a + ((b - a) * i) / (k - 1) : a * Math.pow(b / a, i / (k - 1));
    };
    const values = Array.from({ length: k }, (_, i) => (axis.integer ? Math.round(at(i)) : at(i)));
    if (axis.integer && new Set(values).size < values.length) throw new InputError(`${where}: rounding to integers repeats values (${values.join(', ')}); use fewer points or a wider range`);
    return values;
  }
  throw new InputError(`${where}: a ${'uniform' in axis ? 'uniform' : 'logUniform'} axis is drawn per run, so the sweep needs "sample": { "count": … }`);
}

function segments(path: string): (string | number)[] {
  return path.split('.').map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

/** The value at a dotted path, or undefined where the path does not lead. */
function readPath(root: unknown, path: string): unknown {
  let node = root;
  for (const key of segments(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `base` with `value` at the dotted `path` (missing objects on the way are created). */
export function setPath(base: Record<string, unknown>, path: string, value: unknown, where: string): Record<string, unknown> {
  const root = structuredClone(base);
  const keys = segments(path);
  let node: Record<string | number, unknown> = root;
  // An index past the end would make a sparse array (a huge one allocates without bound) or, from
  // 2^32 − 1 on, a property that JSON drops: either way not what the axis says.
  const checkIndex = (at: unknown, key: string | number, i: number) => {
    if (typeof key === 'number' && Array.isArray(at) && key > at.length)
      throw new InputError(`${where}: index ${key} is past the end of "${keys.slice(0, i).join('.')}" (${at.length} entries)`);
  };
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    checkIndex(node, key, i);
    const next = node[key];
    if (next === undefined) node[key] = typeof keys[i + 1] === 'number' ? [] : {};
    else if (next === null || typeof next !== 'object')
      throw new InputError(`${where}: "${keys.slice(0, i + 1).join('.')}" is ${JSON.stringify(next)} in the base spec, not an object`);
    node = node[key] as Record<string | number, unknown>;
  }
  const last = keys[keys.length - 1];
  checkIndex(node, last, keys.length - 1);
  node[last] = structuredClone(value);
  return root;
}

function describe(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ');
}

/** Distinct indices in [0, size) (Floyd's algorithm: O(count) memory for any grid size), ascending. */
function sampleIndices(size: number, count: number, seed: number): number[] {
  const rng = createRng(seed);
  if (count >= size) return Array.from({ length: size }, (_, i) => i);
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = Math.floor(rng.uniform() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return Array.from(chosen).sort((a, b) => a - b);
}

/**
 * Validates a parsed sweep file and expands it into its runs: the full grid of its axes (first
 * axis slowest) or, with `sample`, that many grid points drawn without replacement from the seed
 * (continuous `uniform`/`logUniform` axes drawn per run from the same generator). Every run's
 * spec is validated; an error names the axis and value (or the combination) and the field.
 */
export function expandSweep(input: unknown, source = 'sweep', options: Pick<ExpandOptions, 'sha256'> = {}): ExpandedSweep {
  const plan = planSweep(input, source, options.sha256 ?? sha256Hex);
  const points = new Points(source);
  for (const index of plan.indices) points.add(plan.point(index));
  return { sweep: plan.sweep, axes: plan.axes, points: points.list, gridSize: plan.gridSize };
}

/** Options of `expandSweepAsync`. */
export interface ExpandOptions {
  /** Stops the expansion at its next slice with a RunCancelledError. */
  readonly signal?: AbortSignal;
  /** Called once, before the runs are built, with their count. */
  readonly onStart?: (runs: number) => void;
  /** SHA-256 as hex digits (default core's own; the CLI passes Node's, the same function ~20× faster). */
  readonly sha256?: (text: string) => string;
}

/**
 * `expandSweep` in slices of about 50 ms with the event loop run between them, so that Ctrl-C
 * (`signal`) is heard while a large grid (10⁶ runs: seconds) is built and checked.
 */
async function expandSweepAsync(input: unknown, source = 'sweep', options: ExpandOptions = {}): Promise<ExpandedSweep> {
  const cancelled = () => {
    if (options.signal?.aborted) throw new RunCancelledError('cancelled while expanding the sweep');
  };
  cancelled();
  const plan = planSweep(input, source, options.sha256 ?? sha256Hex);
  options.onStart?.(plan.indices.length);
  const points = new Points(source);
  let slice = Date.now();
  for (const index of plan.indices) {
    points.add(plan.point(index));
    if (Date.now() - slice > 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      cancelled();
      slice = Date.now();
    }
  }
  cancelled();
  return { sweep: plan.sweep, axes: plan.axes, points: points.list, gridSize: plan.gridSize };
}

/** The points in order; two runs with the same spec are refused (one of them would never be run). */
class Points {
  readonly list: SweepPoint[] = [];
  private readonly seen = new Map<string, SweepPoint>();
  constructor(private readonly source: string) {}
  add(point: SweepPoint): void {
    const earlier = this.seen.get(point.hash);
    if (earlier)
      throw new InputError(`${this.source}: the runs with ${describe(earlier.values)} and with ${describe(point.values)} are the same spec (an axis changes nothing there); remove one of the values`);
    this.seen.set(point.hash, point);
    this.list.push(point);
  }
}

interface SweepPlan {
  sweep: SweepFile;
  axes: string[];
  gridSize: number;
  /** Grid indices of the runs, ascending. */
  indices: number[];
  /** The run at a grid index; called in the order of `indices` (continuous axes draw in turn). */
  point(index: number): SweepPoint;
}

/** Validates the sweep and each axis value; the runs themselves are built by `point`. */
function planSweep(input: unknown, source: string, sha256: (text: string) => string): SweepPlan {
  const rawAxes = (input as { axes?: unknown } | null)?.axes;
  if (rawAxes && typeof rawAxes === 'object' && Object.keys(rawAxes).length > MAX_SWEEP_AXES)
    throw new InputError(`${source}: axes: ${Object.keys(rawAxes).length} axes (at most ${MAX_SWEEP_AXES})`);
  if (rawAxes && typeof rawAxes === 'object' && !Array.isArray(rawAxes))
    for (const key of Object.keys(rawAxes))
      if (!AXIS_PATH.test(key)) throw new InputError(`${source}: axes["${key}"]: must be a dotted path such as "init.alpha" or "target.eigenvalues.0"`);
  const parsed = sweepSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'invalid_union' && issue.path[0] === 'axes' && issue.path.length === 2)
      throw new InputError(
        `${source}: axes["${String(issue.path[1])}"]: expected a list of values or one of { "linear": [a, b], "count": k }, { "log": [a, b], "count": k }, { "seeds": k }, { "uniform": [a, b] }, { "logUniform": [a, b] }`,
      );
    throw new InputError(`${source}: ${formatIssue(issue, input, 'sweep').replace(/^sweep\./, '')}`);
  }
  const sweep = parsed.data;
  const axes = Object.keys(sweep.axes);
  const base = sweep.base;
  const where = (path: string) => `${source}: axes["${path}"]`;
  for (const path of axes) if (path.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) throw new InputError(`${where(path)}: forbidden path segment`);
  const continuous = axes.filter((p) => ['uniform', 'logUniform'].includes(rangeKind(sweep.axes[p])));
  if (continuous.length > 0 && !sweep.sample) axisValues(sweep.axes[continuous[0]], where(continuous[0]));
  const gridAxes = axes.filter((p) => !continuous.includes(p));
  const lists = gridAxes.map((p) => axisValues(sweep.axes[p], where(p)));
  const gridSize = lists.reduce((s, l) => s * l.length, 1);
  if (!sweep.sample && gridSize > MAX_SWEEP_RUNS) throw new InputError(`${source}: axes: the grid has ${gridSize} runs (at most ${MAX_SWEEP_RUNS}; add "sample": { "count": … })`);

  const build = (values: Record<string, unknown>) => {
    let spec: Record<string, unknown> = base;
    for (const [path, value] of Object.entries(values)) spec = setPath(spec, path, value, where(path));
    return spec;
  };
  // Each axis value alone (the others at their first value) first, so that a bad value or an
  // unknown path is reported against its axis rather than as a combination.
  const first: Record<string, unknown> = Object.fromEntries(gridAxes.map((p, i) => [p, lists[i][0]]));
  const drawFirst = (p: string) => {
    const a = sweep.axes[p] as { uniform?: [number, number]; logUniform?: [number, number] };
    return (a.uniform ?? a.logUniform)![0];
  };
  for (const p of continuous) first[p] = drawFirst(p);
  // The base with the first value of each axis: a failure is blamed on the axis whose path
  // meets the failing field, else on the base.
  try {
    parseSpec(build(first));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const checked = experimentSpecSchema.safeParse(build(first));
    const field = checked.success ? '' : checked.error.issues[0].path.join('.');
    const culprit = axes.find((p) => field !== '' && (p === field || p.startsWith(`${field}.`) || field.startsWith(`${p}.`)));
    if (culprit) throw new InputError(`${where(culprit)}${Array.isArray(sweep.axes[culprit]) ? '[0]' : ` = ${JSON.stringify(first[culprit])}`}: ${error.message}`);
    throw new InputError(`${source}: base${axes.length > 0 ? ' (with the first value of each axis)' : ''}: ${error.message}`);
  }
  // A seeds axis varies one integer whose validity (an integer range in the spec schema) does not
  // depend on the rest of the spec: its first and last values stand for those between (distinct
  // integers, so distinct runs wherever the schema keeps a seed as given, which `point` checks).
  const seedAxes = gridAxes.filter((p) => 'seeds' in (sweep.axes[p] as object));
  axes.forEach((p) => {
    const all = continuous.includes(p) ? [first[p]] : lists[gridAxes.indexOf(p)];
    const values = seedAxes.includes(p) && all.length > 1 ? [all[0], all[all.length - 1]] : all; // { seeds: 1 } has one value
    const at = (i: number) => (Array.isArray(sweep.axes[p]) ? `[${i}]` : ` = ${JSON.stringify(values[i])}`);
    // Two values of one axis that give the same spec (a repeated value, 2 and 2.0, a default
    // spelt out) would make runs that are never all done: refused, naming both.
    const hashes = new Map<string, number>();
    values.forEach((value, i) => {
      const trial = { ...first, [p]: value };
      let hash: string;
      try {
        hash = specHash(parseSpec(build(trial)));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        throw new InputError(`${where(p)}${at(i)}: ${error.message}`);
      }
      const same = hashes.get(hash);
      if (same !== undefined) {
        const other = Array.isArray(sweep.axes[p]) ? `[${same}] (${JSON.stringify(values[same])} and ${JSON.stringify(value)})` : `the value ${JSON.stringify(values[same])}`;
        throw new InputError(`${where(p)}${at(i)}: gives the same run as ${other}; each value must change the spec`);
      }
      hashes.set(hash, i);
    });
  });

  const rng = createRng(sweep.sample?.seed ?? 0);
  const indices = sweep.sample ? sampleIndices(gridSize, sweep.sample.count, sweep.sample.seed) : Array.from({ length: gridSize }, (_, i) => i);
  const point = (index: number): SweepPoint => {
    const values: Record<string, unknown> = {};
    let rest = index;
    for (let a = gridAxes.length - 1; a >= 0; a--) {
      const list = lists[a];
      values[gridAxes[a]] = list[rest % list.length];
      rest = Math.floor(rest / list.length);
    }
    for (const p of continuous) {
      const a = sweep.axes[p] as { uniform?: [number, number]; logUniform?: [number, number] };
      const u = rng.uniform();
      values[p] = a.uniform ? a.uniform[0] + (a.uniform[1] - a.uniform[0]) * u : a.logUniform![0] * Math.pow(a.logUniform![1] / a.logUniform![0], u);
    }
    const ordered = Object.fromEntries(axes.map((p) => [p, values[p]]));
    const variant = seedVariant(ordered);
    if (variant) return { index, values: ordered, spec: variant.spec, hash: sha256(variant.canonical ?? canonicalJson(variant.spec)).slice(0, 16) };
    const spec = validated(ordered);
    return { index, values: ordered, spec, hash: sha256(canonicalJson(spec)).slice(0, 16) };
  };
  const validated = (ordered: Record<string, unknown>): ExperimentSpec => {
    try {
      return parseSpec(build(ordered));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(`${source}: the run with ${describe(ordered)}: ${error.message}`);
    }
  };
  // Runs that differ only in seeds share one validation: the spec validated for the first of
  // them with the seeds set (the seed values were checked above). Only where the schema keeps a
  // seed as given, which is checked on that first spec; otherwise every run is parsed.
  // Such a run's spec is the first one's with the seeds replaced along their paths (the rest is
  // shared: specs are only read), and its canonical JSON, which the hash is taken of, is the
  // first one's text with the seeds written in (`seedTemplate`).
  const bySeedless = new Map<string, { spec: ExperimentSpec; seeds: unknown[]; template?: SeedTemplate | null } | null>();
  const seedlessAxes = axes.filter((p) => !seedAxes.includes(p));
  const seedPaths = seedAxes.map(segments);
  const seedlessSeeds = seedAxes.every((p) => SEEDLESS_PATHS.includes(p));
  const seedVariant = (ordered: Record<string, unknown>): { spec: ExperimentSpec; canonical?: string } | undefined => {
    if (seedAxes.length === 0) return undefined;
    const key = JSON.stringify(seedlessAxes.map((p) => ordered[p]));
    const seeds = seedAxes.map((p) => ordered[p]);
    const known = bySeedless.get(key);
    if (known === undefined) {
      const spec = validated(ordered);
      const keeps = seedAxes.every((p, i) => readPath(spec, p) === seeds[i]);
      bySeedless.set(key, keeps ? { spec, seeds } : null);
      return { spec };
    }
    if (known === null) return undefined;
    let spec = known.spec as unknown as Record<string, unknown>;
    seedAxes.forEach((_axis, i) => {
      if (seeds[i] !== known.seeds[i]) spec = withValue(spec, seedPaths[i], seeds[i]);
    });
    if (known.template === undefined) known.template = seedTemplate(known.spec, seedPaths);
    if (seedlessSeeds) sharesSeedlessKey(spec as unknown as ExperimentSpec, known.spec);
    return { spec: spec as unknown as ExperimentSpec, canonical: known.template ? fillTemplate(known.template, seeds) : undefined };
  };
  return { sweep, axes, gridSize, indices, point };
}

/** A copy of `base` with `value` at an existing path, sharing everything off the path with `base`. */
function withValue(base: unknown, keys: readonly (string | number)[], value: unknown, depth = 0): Record<string, unknown> {
  const node = base as Record<string | number, unknown>;
  const copy = (Array.isArray(node) ? node.slice() : { ...node }) as Record<string | number, unknown>;
  const key = keys[depth];
  copy[key] = depth === keys.length - 1 ? value : withValue(node[key], keys, value, depth + 1);
  return copy;
}

/** The canonical JSON of a spec around its seeds: `parts` with seed `order[j]` between parts j and j + 1. */
interface SeedTemplate {
  parts: string[];
  order: number[];
}

/**
 * The canonical JSON of `spec` cut at the values of the seed paths, or null where that cannot be
 * done safely. Each seed is replaced by a marker string, whose JSON must then occur exactly once:
 * canonicalJson writes a value the same wherever it stands, so the text with a seed written in
 * at its marker's place is the canonical JSON of the spec with that seed.
 */
function seedTemplate(spec: ExperimentSpec, paths: readonly (string | number)[][]): SeedTemplate | null {
  const markers = paths.map((_, i) => `\u0000dfl seed ${i}\u0000`);
  let marked: unknown = spec;
  paths.forEach((p, i) => (marked = withValue(marked, p, markers[i])));
  const text = canonicalJson(marked);
  const found: { at: number; seed: number; length: number }[] = [];
  for (let i = 0; i < markers.length; i++) {
    const json = JSON.stringify(markers[i]);
    const at = text.indexOf(json);
    if (at < 0 || text.indexOf(json, at + 1) >= 0) return null;
    found.push({ at, seed: i, length: json.length });
  }
  found.sort((a, b) => a.at - b.at);
  const parts: string[] = [];
  let from = 0;
  for (const f of found) {
    parts.push(text.slice(from, f.at));
    from = f.at + f.length;
  }
  parts.push(text.slice(from));
  return { parts, order: found.map((f) => f.seed) };
}

function fillTemplate(template: SeedTemplate, seeds: readonly unknown[]): string {
  let text = template.parts[0];
  for (let j = 0; j < template.order.length; j++) text += canonicalJson(seeds[template.order[j]]) + template.parts[j + 1];
  return text;
}

/** Parses and expands the text of a `*.dfl-sweep.json` file; `source` names it in errors. */
export function expandSweepText(text: string, source = 'sweep', options: Pick<ExpandOptions, 'sha256'> = {}): ExpandedSweep {
  return expandSweep(parseJson(text, source), source, options);
}

/** `expandSweepText` in slices, cancellable (`expandSweepAsync`). */
export function expandSweepTextAsync(text: string, source = 'sweep', options: ExpandOptions = {}): Promise<ExpandedSweep> {
  return expandSweepAsync(parseJson(text, source), source, options);
}
