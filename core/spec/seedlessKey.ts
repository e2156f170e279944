import type { ExperimentSpec } from './schema';

const keys = new WeakMap<ExperimentSpec, string>();
// A spec made from another by setting only SEEDLESS_PATHS has the other's key (a sweep's seed
// variants: core/sweep/expand.ts).
const bases = new WeakMap<ExperimentSpec, ExperimentSpec>();

/** The fields `seedlessKey` sets to 0. */
export const SEEDLESS_PATHS: readonly string[] = ['target.seed', 'init.seed'];

/** Records that `variant` is `base` with other values at SEEDLESS_PATHS only, so that it has base's key without making it. */
export function sharesSeedlessKey(variant: ExperimentSpec, base: ExperimentSpec): void {
  if (variant !== base) bases.set(variant, base);
}

/** The spec whose seedless key `spec` shares (`sharesSeedlessKey`), or `spec` itself. */
export function seedlessBase(spec: ExperimentSpec): ExperimentSpec {
  const base = bases.get(spec);
  return base ? seedlessBase(base) : spec;
}

/**
 * The spec's JSON with the target's and the init's seeds set to 0, its name and description left
 * out: what the predictions and the hypotheses read of a spectrum target's run (they come from
 * the spectrum, α, N, η and the step count, never from the eigenvectors nor from a Gaussian
 * init's draw). A sweep over seeds has one key for all its runs. Kept per spec object (the engine
 * and the sweep's measures ask for the same runs' keys); the fields of validated specs are listed
 * in one order, so equal keys mean equal specs but for those seeds (another order only misses).
 */
export function seedlessKey(spec: ExperimentSpec): string {
  const base = seedlessBase(spec);
  let key = keys.get(base);
  if (key === undefined) {
    const { name: _, description: __, ...rest } = base;
    key = JSON.stringify({ ...rest, target: { ...base.target, seed: 0 }, init: 'seed' in base.init ? { ...base.init, seed: 0 } : base.init });
    keys.set(base, key);
  }
  return key;
}
