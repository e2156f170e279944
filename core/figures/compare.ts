import { InputError } from '../errors';
import { measureSymbol } from '../rank/labels';
import type { RunResult } from '../result';
import { fieldLabel, measureAxisTitle } from './fieldLabels';
import { linePanel, type LegendEntry, type PanelRibbon, type PanelRule, type PanelSeries } from './linePanel';
import { DEFAULT_PANEL_SIZE, sub, type PanelSize } from './runFigures';
import { gridPart, type FigureTheme, type SvgPart } from './svg';
import { formatNumber } from './ticks';

// Runs overlaid in one figure (the paper's depth figure): runs that share every spec field but
// one or two (the compared fields, named in the legend by their symbols, "N = 3"), and seeds,
// which become a min–max band around the mean of the runs that differ only in them.

/** Spec fields never compared: names and what only changes how a run is recorded. */
const IGNORED = /^(name|description|record(\..*)?|log(\..*)?|engine)$/;
/** Fields that are seeds: runs that differ only in them are one curve with a band. */
const SEED = /(^|\.)seed$/;
/** The field that names a group first when two vary (the paper compares depths). */
const PRIORITY = ['depth', 'init.alpha', 'stepSize', 'problem.measurements', 'problem.observed', 'target.noise', 'n', 'steps', 'epsilon'];

interface CompareGroup {
  /** The compared fields' values, formatted: "N = 3 (α = 0.1)". */
  label: string;
  members: { label: string; result: RunResult }[];
}

export interface Comparison {
  /** The one or two fields that differ between groups, most telling first. */
  fields: string[];
  /** Seed fields that differ inside groups (drawn as bands). */
  seeds: string[];
  groups: CompareGroup[];
}

/** A spec as dotted paths to JSON values (arrays whole: eigenvalues are one field). */
function flatten(value: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(value));
  return out;
}

function formatField(field: string, json: string | undefined): string {
  if (json === undefined) return `${fieldLabel(field).symbol} unset`;
  const v = JSON.parse(json) as unknown;
  const text = typeof v === 'number' ? formatNumber(v, 4) : Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? formatNumber(x, 4) : String(x))).join(', ') : String(v);
  return `${fieldLabel(field).symbol} = ${text}`;
}

/**
 * How runs compare: the fields that differ besides seeds (throws when none or more than two
 * do), and the runs grouped by those fields' values. `why` names the caller in the message.
 */
export function compareRuns(runs: readonly { label: string; result: RunResult }[], why = 'compare'): Comparison {
  if (runs.length < 2) throw new InputError(`${why}: needs two or more results (got ${runs.length})`);
  const flat = runs.map((r) => flatten(r.result.spec));
  const keys = new Set(flat.flatMap((f) => [...f.keys()]));
  const differing = [...keys].filter((k) => !IGNORED.test(k) && new Set(flat.map((f) => f.get(k))).size > 1);
  const seeds = differing.filter((k) => SEED.test(k));
  const fields = differing.filter((k) => !SEED.test(k)).sort((a, b) => (PRIORITY.indexOf(a) + 1 || 99) - (PRIORITY.indexOf(b) + 1 || 99));
  if (fields.length === 0) throw new InputError(`${why}: the results differ in no field but seeds${seeds.length ? ` (${seeds.join(', ')})` : ''}: nothing to compare`);
  if (fields.length > 2) throw new InputError(`${why}: the results differ in ${fields.length} fields (${fields.join(', ')}); a comparison overlays runs that differ in one or two`);
  const groups = new Map<string, CompareGroup>();
  runs.forEach((run, i) => {
    const key = fields.map((f) => flat[i].get(f)).join('|');
    let group = groups.get(key);
    if (!group) {
      const [first, second] = fields.map((f) => formatField(f, flat[i].get(f)));
      // A second field that takes one value per value of the first (α chosen per N) is said in
      // parentheses; two independent fields are both named.
      const determined = second !== undefined && fields.length === 2 && dependsOn(flat, fields[1], fields[0]);
      group = { label: second === undefined ? first : determined ? `${first} (${second})` : `${first}, ${second}`, members: [] };
      groups.set(key, group);
    }
    group.members.push(run);
  });
  const ordered = [...groups.values()].sort((a, b) => compareSpecs(a.members[0].result, b.members[0].result, fields));
  return { fields, seeds, groups: ordered };
}

/** Whether `field` takes one value per value of `by` across the runs. */
function dependsOn(flat: Map<string, string>[], field: string, by: string): boolean {
  const seen = new Map<string | undefined, string | undefined>();
  for (const f of flat) {
    const k = f.get(by);
    if (seen.has(k) && seen.get(k) !== f.get(field)) return false;
    seen.set(k, f.get(field));
  }
  return true;
}

function compareSpecs(a: RunResult, b: RunResult, fields: string[]): number {
  const fa = flatten(a.spec);
  const fb = flatten(b.spec);
  for (const f of fields) {
    const [x, y] = [JSON.parse(fa.get(f) ?? 'null') as unknown, JSON.parse(fb.get(f) ?? 'null') as unknown];
    if (typeof x === 'number' && typeof y === 'number' && x !== y) return x - y;
    const c = String(x).localeCompare(String(y));
    if (c !== 0) return c;
  }
  return 0;
}

/** Mean, min and max over members of a per-step series, on the first member's logged steps. */
function spread(members: readonly RunResult[], series: (r: RunResult) => readonly number[]): { xs: number[]; mean: number[]; lo: number[]; hi: number[] } {
  const xs = members[0].steps;
  const at = (r: RunResult, ys: readonly number[], k: number): number => {
    // Members log the same steps when only seeds differ; otherwise interpolate linearly.
    const i = r.steps.indexOf(k);
    if (i >= 0) return ys[i];
    const j = r.steps.findIndex((s) => s > k);
    if (j <= 0) return j === 0 ? ys[0] : ys[ys.length - 1];
    const t = (k - r.steps[j - 1]) / (r.steps[j] - r.steps[j - 1]);
    return ys[j - 1] + t * (ys[j] - ys[j - 1]);
  };
  const values = members.map((r) => ({ r, ys: series(r) }));
  const mean: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const k of xs) {
    const v = values.map(({ r, ys }) => at(r, ys, k)).filter(Number.isFinite);
    mean.push(v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);
    lo.push(v.length ? Math.min(...v) : NaN);
    hi.push(v.length ? Math.max(...v) : NaN);
  }
  return { xs: [...xs], mean, lo, hi };
}

export const COMPARE_PANELS = ['erank', 'sigma'] as const;
export type ComparePanel = (typeof COMPARE_PANELS)[number];

/** The same value for every group's first run, or undefined. */
function shared<T>(c: Comparison, get: (r: RunResult) => T): T | undefined {
  const values = c.groups.map((g) => JSON.stringify(get(g.members[0].result)));
  return new Set(values).size === 1 ? get(c.groups[0].members[0].result) : undefined;
}

/** One comparison panel: the effective rank, or the leading singular values, of every group. */
export function comparePanel(c: Comparison, panel: ComparePanel, theme: FigureTheme, size: PanelSize = DEFAULT_PANEL_SIZE, id = 'compare'): SvgPart {
  const color = (i: number) => theme.categorical[i % theme.categorical.length];
  const steps = Math.max(...c.groups.flatMap((g) => g.members.map((m) => m.result.spec.steps)));
  const x = { title: 'step k', steps: true, min: 0, max: Math.max(1, steps) };
  const seeded = c.groups.some((g) => g.members.length > 1);
  const series: PanelSeries[] = [];
  const ribbons: PanelRibbon[] = [];
  const rules: PanelRule[] = [];
  const legend: LegendEntry[] = c.groups.map((g, i) => ({ kind: 'line', color: color(i), label: g.members.length > 1 ? `${g.label} (${g.members.length} seeds)` : g.label }));
  if (seeded) legend.push({ kind: 'band', color: theme.muted, label: `min–max over seeds (${c.seeds.map((s) => fieldLabel(s).symbol).join(', ') || 'seeds'})` });
  const base = { id: `${id}-${panel}`, width: size.width, height: size.height, theme, x };
  if (panel === 'erank') {
    const measure = shared(c, (r) => r.spec.effectiveRank);
    c.groups.forEach((g, i) => {
      const s = spread(g.members.map((m) => m.result), (r) => r.effectiveRank);
      if (g.members.length > 1) ribbons.push({ xs: s.xs, lo: s.lo, hi: s.hi, color: color(i) });
      series.push({ xs: s.xs, ys: s.mean, color: color(i), width: 1.8 });
    });
    const refs = shared(c, (r) => r.targetEffectiveRanks.slice(0, 4));
    const symbol = measure ? measureSymbol(measure) : 'r';
    if (refs) {
      refs.forEach((r, i) => rules.push({ y: r, color: theme.muted, dash: '4 4', width: 0.8, label: `${symbol}(Ŵ${sub(i + 1)})` }));
      legend.push({ kind: 'dash', color: theme.muted, label: `${symbol}(Ŵ_L), L = 1…${refs.length}` });
    }
    const refMax = Math.max(1, ...(refs ?? []));
    const max = Math.max(1.6 * refMax, refMax + 1.5);
    return linePanel({ ...base, title: 'Effective rank', y: { title: measure ? measureAxisTitle(measure) : 'effective rank r(W(k))', min: 0, max }, series, ribbons, rules, legend });
  }
  // Singular values: the leading ones of the target (at most 4), one colour per group.
  const target = shared(c, (r) => r.target.singularValues.slice(0, 8));
  const s1 = Math.max(...c.groups.map((g) => g.members[0].result.target.singularValues[0] ?? 0));
  const count = Math.max(1, Math.min(4, (target ?? c.groups[0].members[0].result.target.singularValues).filter((v) => v > 1e-7 * s1).length));
  c.groups.forEach((g, gi) => {
    for (let i = 0; i < count; i++) {
      const s = spread(g.members.map((m) => m.result), (r) => r.singularValues.map((row) => row[i]));
      if (g.members.length > 1) ribbons.push({ xs: s.xs, lo: s.lo, hi: s.hi, color: color(gi) });
      series.push({ xs: s.xs, ys: s.mean, color: color(gi), width: 1.6 });
    }
  });
  if (target) {
    for (let i = 0; i < count; i++) rules.push({ y: target[i], color: theme.muted, dash: '3 3', width: 0.8, label: `σ${sub(i + 1)}(Ŵ)` });
    legend.push({ kind: 'dash', color: theme.muted, label: `σᵢ(Ŵ), i = 1…${count}` });
  }
  const lows = c.groups.flatMap((g) => g.members.flatMap((m) => m.result.singularValues.map((row) => row[count - 1]))).filter((v) => v > 1e-7 * s1);
  const min = lows.length ? Math.min(...lows) : 1e-7 * s1;
  return linePanel({ ...base, title: `Singular values σ${sub(1)}…σ${sub(count)}`, y: { title: 'σᵢ(W(k))', log: true, min }, series, ribbons, rules, legend });
}

/** What the comparison is about, for its title: "N = 1…4" or "depth N and initial scale α". */
export function compareTitle(c: Comparison): string {
  return `Compared: ${c.fields.map((f) => fieldLabel(f).name).join(' and ')}${c.seeds.length ? `; seeds as bands` : ''}`;
}

/** Both panels side by side under a title. */
export function compareGrid(c: Comparison, theme: FigureTheme, size: PanelSize = DEFAULT_PANEL_SIZE, id = 'compare', title = compareTitle(c)): SvgPart {
  return gridPart(
    COMPARE_PANELS.map((p) => comparePanel(c, p, theme, size, id)),
    { columns: 2, title, theme, gap: 16 },
  );
}
