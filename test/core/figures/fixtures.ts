import { runExperiment } from '../../../core/engine/runExperiment';
import { findPreset } from '../../../core/presets';
import type { RunResult } from '../../../core/result';

// What the figure tests share: the paper's depth preset run once per file, and a reader of SVG text.

/** The paper's depth preset, shortened (the same dynamics, 1200 steps), labelled by spec name. */
export function runDepthPreset(): Promise<{ label: string; result: RunResult }[]> {
  const preset = findPreset('paper-identity-depths');
  return Promise.all(
    preset.specs.map(async (spec) => ({ label: spec.name!, result: await runExperiment({ ...spec, steps: 1200 }, { yieldToHost: async () => undefined }) })),
  );
}

/** The text of every <text> element whose content matches, with its y. */
export function svgTexts(svg: string, pattern: RegExp): { y: number; text: string }[] {
  return [...svg.matchAll(/<text [^>]*y="([\d.-]+)"[^>]*>(.*?)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2].replace(/<[^>]+>/g, '') })).filter((t) => pattern.test(t.text));
}
