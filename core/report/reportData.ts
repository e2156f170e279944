import { listPresets } from '../presets';
import type { RunResult } from '../result';
import { assessRun } from './assess';
import { sweepFigures, type SweepFigure, type SweepSummary } from '../sweep/phaseDiagram';

// What `dfl report` puts in its page (webview/report/main.ts draws it): results grouped by the
// preset they were run from, each group with the paper's claim and the measured findings.

export interface ReportData {
  title: string;
  sections: { id: string; heading: string; claim?: string; findings: { label: string; text: string }[]; results: { label: string; result: RunResult }[] }[];
  /** Sweep folders: each drawn as phase diagrams and line plots (core/sweep/phaseDiagram.ts). */
  sweeps?: ReportSweep[];
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
  return { id: `sweep-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}`, title: name, summary, figures: sweepFigures(summary) };
}

/** The last segment of a path, without `ext` (core has no `node:path`). */
function baseName(file: string, ext = ''): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return ext && name.endsWith(ext) ? name.slice(0, -ext.length) : name;
}

/** Groups results by preset (in the order given) and describes each group: claim and findings. */
export function reportData(results: { file: string; result: RunResult }[], sweeps: ReportSweep[] = []): ReportData {
  const presets = new Map(listPresets().map((p) => [p.name, p]));
  const groups = new Map<string, { file: string; result: RunResult }[]>();
  for (const r of results) {
    const key = r.result.preset ?? r.file;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return {
    title: results.length === 0 && sweeps.length > 0 ? `Deep Factorization Lab — sweep ${sweeps.map((s) => s.title).join(', ')}` : 'Deep Factorization Lab — reproduction report',
    ...(sweeps.length > 0 ? { sweeps } : {}),
    sections: [...groups].map(([key, members]) => {
      const preset = presets.get(key);
      const label = (r: { file: string; result: RunResult }) => r.result.spec.name ?? baseName(r.file, '.json');
      return {
        id: preset?.name ?? baseName(key, '.json'),
        heading: preset ? `${preset.name}: ${preset.description}` : baseName(key),
        claim: preset?.claim,
        findings: members.flatMap((r) => assessRun(r.result).map((f) => ({ label: `${label(r)}, ${f.label}`, text: f.text }))),
        results: members.map((r) => ({ label: label(r), result: r.result })),
      };
    }),
  };
}
