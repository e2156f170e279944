import { parseSpec } from '../core/spec/parseSpec';
import type { ExperimentSpec } from '../core/spec/schema';
import { effectiveRankMeasures, type EffectiveRankMeasure } from '../core/spec/schema';
import { DEFAULT_RUNS_FOLDER } from './ids';

// The extension's settings (`deepFactorization.*`), read through a `get` function so that the
// mapping is testable without VS Code. Bad values fall back to the defaults.

export type ComputeBackend = 'wasm' | 'cpu';
type LabBackendSetting = 'webgl' | 'cpu';
type RunLocation = 'host' | 'lab';

export interface Settings {
  /** Where Run Experiment File / Run Preset run: the extension host (wasm/cpu) or the Lab (WebGL). */
  runIn: RunLocation;
  /** tfjs backend of host runs. */
  backend: ComputeBackend;
  /** Backend of the Lab page's matrix path. */
  labBackend: LabBackendSetting;
  logPoints: number;
  logScale: 'log' | 'linear';
  effectiveRank: EffectiveRankMeasure;
  epsilon: number;
  propertyRuns: number;
  propertySeed: number;
  propertyMaxN: number;
  runsFolder: string;
}

export const DEFAULT_SETTINGS: Settings = {
  runIn: 'host',
  backend: 'wasm',
  labBackend: 'webgl',
  logPoints: 400,
  logScale: 'log',
  effectiveRank: 'entropy',
  epsilon: 0.1,
  propertyRuns: 10,
  propertySeed: 1,
  propertyMaxN: 40,
  runsFolder: DEFAULT_RUNS_FOLDER,
};

type Getter = (key: string) => unknown;

const oneOf = <T extends string>(values: readonly T[], v: unknown, fallback: T): T => (values.includes(v as T) ? (v as T) : fallback);
const integer = (v: unknown, min: number, max: number, fallback: number) => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fallback);

/** Reads the settings (keys relative to `deepFactorization.`), keeping only valid values. */
export function readSettings(get: Getter): Settings {
  const d = DEFAULT_SETTINGS;
  const epsilon = get('epsilon');
  const folder = get('runsFolder');
  return {
    runIn: oneOf(['host', 'lab'], get('runIn'), d.runIn),
    backend: oneOf(['wasm', 'cpu'], get('backend'), d.backend),
    labBackend: oneOf(['webgl', 'cpu'], get('labBackend'), d.labBackend),
    logPoints: integer(get('logging.points'), 2, 100_000, d.logPoints),
    logScale: oneOf(['log', 'linear'], get('logging.scale'), d.logScale),
    effectiveRank: oneOf(effectiveRankMeasures, get('effectiveRank'), d.effectiveRank),
    epsilon: typeof epsilon === 'number' && epsilon > 0 && epsilon <= 1e3 ? epsilon : d.epsilon,
    propertyRuns: integer(get('propertyTests.runs'), 1, 10_000, d.propertyRuns),
    propertySeed: integer(get('propertyTests.seed'), 0, 2 ** 31 - 1, d.propertySeed),
    propertyMaxN: integer(get('propertyTests.maxN'), 2, 1024, d.propertyMaxN),
    runsFolder: typeof folder === 'string' && isSafeRelativeFolder(folder) ? folder : d.runsFolder,
  };
}

/** A relative folder that stays inside the workspace (no absolute path, no `..`). */
export function isSafeRelativeFolder(folder: string): boolean {
  if (folder.trim() === '' || /^([a-zA-Z]:)?[\\/]/.test(folder)) return false;
  return !folder.split(/[\\/]/).some((part) => part === '..');
}

const SETTABLE = ['log', 'effectiveRank', 'epsilon'] as const;

/**
 * Parses a user's experiment (a `*.dfl.json` file's JSON): the settings supply the logging,
 * the effective-rank measure and ε where the file leaves them out; what the file says wins.
 */
export function specWithSettings(raw: unknown, settings: Settings, where = 'spec'): ExperimentSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return parseSpec(raw, where);
  const defaults = { log: { points: settings.logPoints, scale: settings.logScale }, effectiveRank: settings.effectiveRank, epsilon: settings.epsilon };
  const filled: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  // Editors add "$schema" to JSON files; it is no part of the spec.
  delete filled.$schema;
  for (const key of SETTABLE) if (!(key in filled)) filled[key] = defaults[key];
  return parseSpec(filled, where);
}

/** A shipped preset's spec run with the user's logging and measure (ε stays the preset's). */
export function presetWithSettings(spec: ExperimentSpec, settings: Settings): ExperimentSpec {
  return { ...spec, log: { points: settings.logPoints, scale: settings.logScale }, effectiveRank: settings.effectiveRank };
}
