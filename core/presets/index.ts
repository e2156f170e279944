import { InputError } from '../errors';
import { parseSpec } from '../spec/parseSpec';
import type { ExperimentSpec } from '../spec/schema';
import aroraCompletionDepths from './arora-completion-depths.json';
import denoiseEarlyStopping from './denoise-early-stopping.json';
import denoiseNoiseSeeds from './denoise-noise-seeds.json';
import flowTimeAlpha from './flow-time-alpha.json';
import randomInitSeeds from './random-init-seeds.json';
import sensingMeasurements from './sensing-measurements.json';
import sensingSeeds from './sensing-seeds.json';
import paperIdentityDepths from './paper-identity-depths.json';
import paperMnistDepths from './paper-mnist-depths.json';
import paperRandomInitScale from './paper-random-init-scale.json';
import paperSensing from './paper-sensing.json';

/** A shipped experiment: one spec or a sweep of specs compared on one plot. */
export interface Preset {
  name: string;
  description: string;
  /** The paper's claim the preset illustrates. */
  claim: string;
  specs: ExperimentSpec[];
}

interface PresetFile {
  name: string;
  description: string;
  claim: string;
  specs: unknown[];
}

const files: PresetFile[] = [paperIdentityDepths, paperMnistDepths, paperRandomInitScale, paperSensing, denoiseEarlyStopping, aroraCompletionDepths, denoiseNoiseSeeds, randomInitSeeds, flowTimeAlpha, sensingMeasurements, sensingSeeds];

/** The shipped presets, validated like any user spec. */
export function listPresets(): Preset[] {
  return files.map((file) => ({
    name: file.name,
    description: file.description,
    claim: file.claim,
    specs: file.specs.map((spec, i) => parseSpec(spec, `preset ${file.name}.specs[${i}]`)),
  }));
}

export function findPreset(name: string): Preset {
  const preset = listPresets().find((p) => p.name === name);
  if (!preset) throw new InputError(`unknown preset "${name}" (available: ${files.map((f) => f.name).join(', ')})`);
  return preset;
}
