import { listPresets } from '../presets';
import type { RunResult } from '../result';
import { assessRun } from './assess';

// What `dfl report` puts in its page (webview/report/main.ts draws it): results grouped by the
// preset they were run from, each group with the paper's claim and the measured findings.

export interface ReportData {
  title: string;
  sections: { id: string; heading: string; claim?: string; findings: { label: string; text: string }[]; results: { label: string; result: RunResult }[] }[];
}

/** The last segment of a path, without `ext` (core has no `node:path`). */
function baseName(file: string, ext = ''): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return ext && name.endsWith(ext) ? name.slice(0, -ext.length) : name;
}

/** Groups results by preset (in the order given) and describes each group: claim and findings. */
export function reportData(results: { file: string; result: RunResult }[]): ReportData {
  const presets = new Map(listPresets().map((p) => [p.name, p]));
  const groups = new Map<string, { file: string; result: RunResult }[]>();
  for (const r of results) {
    const key = r.result.preset ?? r.file;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return {
    title: 'Deep Factorization Lab — reproduction report',
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
