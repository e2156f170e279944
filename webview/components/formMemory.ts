import type { Preset } from '../../core/presets';
import { parseSpec } from '../../core/spec/parseSpec';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { HostBridge } from '../host';
import { presetChoiceValue, type ControlsWithPreset } from '../ui/controls';

// The form's spec: kept in the webview state (small UI state only) so that it survives a hidden
// or reloaded panel, else the paper's depth-3 preset; replaced by the specs the host sends.

interface SavedState {
  spec?: unknown;
}

export function restoreForm(controls: ControlsWithPreset, presets: readonly Preset[], host: HostBridge): void {
  const saved = host.getState<SavedState>();
  if (saved?.spec) {
    try {
      controls.writeSpec(parseSpec(saved.spec));
      controls.presetField.set('custom');
      return;
    } catch {
      // A spec saved by an older version: fall back to the default preset.
    }
  }
  // Default: the paper's depth-3 experiment (clearest plateaus), else the first preset.
  let choice: [number, number] | undefined;
  presets.forEach((p, i) => p.specs.forEach((s, j) => (!choice && s.depth === 3 ? (choice = [i, j]) : undefined)));
  choice ??= presets.length > 0 ? [0, 0] : undefined;
  if (choice) {
    const [i, j] = choice;
    controls.writeSpec(presets[i].specs[j]);
    controls.presetField.set(presetChoiceValue(i, j));
    controls.setNote(presets[i].claim);
  }
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
  let same = false;
  try {
    same = JSON.stringify(controls.readSpec()) === JSON.stringify(spec);
  } catch {
    same = false;
  }
  if (same) return;
  controls.writeSpec(spec);
  controls.presetField.set('custom');
}
