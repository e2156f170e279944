import type { Preset } from '../../core/presets';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { HostBridge } from '../host';
import { presetChoiceValue, type ControlsWithPreset } from '../ui/controls';

// The form's spec: kept in the webview state (small UI state only) so that it survives a hidden
// or reloaded panel, else the paper's first experiment at depth 3; replaced by the specs the host sends.

interface SavedState {
  spec?: unknown;
}

/** The preset member a spec is, field for field (core/presets is the one source of both), or undefined. */
function presetMemberOf(spec: ExperimentSpec, presets: readonly Preset[]): [number, number] | undefined {
  const text = JSON.stringify(spec);
  for (let i = 0; i < presets.length; i++) for (let j = 0; j < presets[i].specs.length; j++) if (JSON.stringify(presets[i].specs[j]) === text) return [i, j];
  return undefined;
}

/** Shows preset member (i, j): its fields, its name in the picker, its claim under it. */
function showPreset(controls: ControlsWithPreset, presets: readonly Preset[], [i, j]: [number, number]): void {
  controls.writeSpec(presets[i].specs[j]);
  controls.presetField.set(presetChoiceValue(i, j));
  controls.setNote(presets[i].claim);
}

/** The preset and member the Lab opens on: the paper's first experiment at depth 3 (its clearest plateaus). */
const DEFAULT_PRESET = { name: 'paper-identity-depths', depth: 3 };

/**
 * Fills the form: the saved spec (a hidden or reloaded panel), shown as its preset when it is
 * one, else the default preset. Returns 'default' when the form holds the default, which the
 * page runs at once.
 */
export function restoreForm(controls: ControlsWithPreset, presets: readonly Preset[], host: HostBridge): 'default' | 'saved' | 'empty' {
  const saved = host.getState<SavedState>();
  if (saved?.spec) {
    try {
      const spec = parseSpec(saved.spec);
      const member = presetMemberOf(spec, presets);
      if (member) showPreset(controls, presets, member);
      else {
        controls.writeSpec(spec);
        controls.presetField.set('custom');
      }
      return 'saved';
    } catch {
      // A spec saved by an older version: fall back to the default preset.
    }
  }
  const i = presets.findIndex((p) => p.name === DEFAULT_PRESET.name);
  const j = i < 0 ? -1 : presets[i].specs.findIndex((s) => s.depth === DEFAULT_PRESET.depth);
  if (j >= 0) {
    showPreset(controls, presets, [i, j]);
    return 'default';
  }
  if (presets.length === 0) return 'empty';
  showPreset(controls, presets, [0, 0]);
  return 'default';
}

export function saveForm(controls: ControlsWithPreset, host: HostBridge): void {
  try {
    host.setState({ spec: controls.readSpec() } satisfies SavedState);
  } catch {
    // Half-typed fields: keep the last valid state.
  }
}

/** Shows a spec the host sent to run; the answer to `needTarget` carries the form's own spec: the preset shown stays then. */
export function showSpecInForm(controls: ControlsWithPreset, spec: ExperimentSpec): void {
  let same: boolean;
  try {
    same = JSON.stringify(controls.readSpec()) === JSON.stringify(spec);
  } catch {
    same = false;
  }
  if (same) return;
  controls.writeSpec(spec);
  controls.presetField.set('custom');
}
