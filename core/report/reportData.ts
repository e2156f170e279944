import { listPresets } from '../presets';
import { htmlId } from '../text';
import type { RunResult } from '../result';
import { compareRuns, type Comparison } from '../figures/compare';
import { fieldLabel } from '../figures/fieldLabels';
import { assessRun } from './assess';
import { sweepFigures, type SweepFigure, type SweepSummary } from '../sweep/phaseDiagram';

// What `dfl report` puts in its page (webview/report/main.ts draws it): results grouped by the
// preset they were run from, each group with the paper's claim and the measured findings.

export interface ReportData {
  title: string;
  sections: { id: string; heading: string; description?: string; claim?: string; findings: { label: string; text: string }[]; results: { label: string; result: RunResult }[] }[];
  /**
   * Overlays of runs that differ in one or two fields (core/figures/compare.ts): one per
   * preset section whose runs allow it, drawn at the top of that section, or (`dfl report
   * --compare`) one of every result, drawn first.
   */
  comparisons: ReportComparison[];
  /** Sweep folders: each drawn as phase diagrams and line plots (core/sweep/phaseDiagram.ts). */
  sweeps?: ReportSweep[];
}

export interface ReportComparison {
  id: string;
  /** The section it is drawn in; none: at the top of the report. */
  section?: string;
  /** What is compared, with its groups: "depth N and initial scale α: N = 1 (α = 0.001), …". */
  heading: string;
  /** The compared results, as [section index, result index] into `sections`. */
  members: [number, number][];
}

export interface ReportSweep {
  id: string;
  /** The folder as given on the command line. */
  title: string;
  summary: SweepSummary;
  figures: SweepFigure[];
}

/** A sweep folder's part of the report: its summary and the figures drawn from it. */
export function reportSweep(folder: string, summary: SweepSummary): ReportSweep {
  const name = summary.name ?? baseName(folder.replace(/[\\/]+$/, ''));
  return { id: `sweep-${htmlId(name)}`, title: name, summary, figures: sweepFigures(summary) };
}

/** The last segment of a path, without `ext` (core has no `node:path`). */
function baseName(file: string, ext = ''): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return ext && name.endsWith(ext) ? name.slice(0, -ext.length) : name;
}

/** The comparison of `members`, or undefined when they are not runs that differ in one or two fields. */
function comparisonOf(data: ReportData, id: string, members: [number, number][], section?: string, strict = false): ReportComparison | undefined {
  const runs = members.map(([s, r]) => data.sections[s].results[r]);
  let c: Comparison;
  try {
    c = compareRuns(runs, 'dfl report --compare');
  } catch (error) {
    if (strict) throw error;
    return undefined;
  }
  const heading = `${c.fields.map((f) => fieldLabel(f).name).join(' and ')}: ${c.groups.map((g) => (g.members.length > 1 ? `${g.label} (${g.members.length} seeds)` : g.label)).join('; ')}`;
  return { id, ...(section !== undefined ? { section } : {}), heading, members };
}

/**
 * Groups results by preset (in the order given) and describes each group: claim and findings.
 * Each group whose runs differ in one or two fields (seeds aside) gets a comparison; with
 * `compareAll`, all results form one, and an error says why when they cannot.
 */
export function reportData(results: { file: string; result: RunResult }[], sweeps: ReportSweep[] = [], options: { compareAll?: boolean } = {}): ReportData {
  const presets = new Map(listPresets().map((p) => [p.name, p]));
  const groups = new Map<string, { file: string; result: RunResult }[]>();
  for (const r of results) {
    const key = r.result.preset ?? r.file;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const data: ReportData = {
    title: results.length === 0 && sweeps.length > 0 ? `Deep Factorization Lab — sweep ${sweeps.map((s) => s.title).join(', ')}` : 'Deep Factorization Lab — reproduction report',
    ...(sweeps.length > 0 ? { sweeps } : {}),
    comparisons: [],
    sections: [...groups].map(([key, members]) => {
      const preset = presets.get(key);
      const label = (r: { file: string; result: RunResult }) => r.result.spec.name ?? baseName(r.file, '.json');
      return {
        id: preset?.name ?? baseName(key, '.json'),
        heading: preset ? preset.name : baseName(key),
        ...(preset ? { description: preset.description } : {}),
        claim: preset?.claim,
        findings: members.flatMap((r) => assessRun(r.result).map((f) => ({ label: `${label(r)}, ${f.label}`, text: f.text }))),
        results: members.map((r) => ({ label: label(r), result: r.result })),
      };
    }),
  };
  if (options.compareAll) {
    const all = data.sections.flatMap((s, si) => s.results.map((_, ri) => [si, ri] as [number, number]));
    data.comparisons.push(comparisonOf(data, 'compare', all, undefined, true)!);
  } else
    data.sections.forEach((s, si) => {
      if (s.results.length < 2) return;
      const c = comparisonOf(data, `${s.id}-compare`, s.results.map((_, ri) => [si, ri]), s.id);
      if (c) data.comparisons.push(c);
    });
  return data;
}
