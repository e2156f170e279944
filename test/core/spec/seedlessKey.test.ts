import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../core/spec/parseSpec';
import { SEEDLESS_PATHS, seedlessKey, sharesSeedlessKey } from '../../../core/spec/seedlessKey';

const spec = (fields: Record<string, unknown> = {}) =>
  parseSpec({ n: 4, depth: 3, target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 1 }, init: { kind: 'gaussian', alpha: 0.1, seed: 7 }, stepSize: 0.01, steps: 50, ...fields });

describe('seedlessKey', () => {
  it('is the same for specs that differ only in the target and init seeds, name or description', () => {
    const key = seedlessKey(spec());
    expect(seedlessKey(spec({ target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 99 } }))).toBe(key);
    expect(seedlessKey(spec({ init: { kind: 'gaussian', alpha: 0.1, seed: 12 } }))).toBe(key);
    expect(seedlessKey(spec({ name: 'other', description: 'another run' }))).toBe(key);
  });

  it('differs when anything the predictions read differs', () => {
    const key = seedlessKey(spec());
    for (const changed of [
      spec({ target: { kind: 'spectrum', eigenvalues: [3, 2], seed: 1 } }),
      spec({ init: { kind: 'gaussian', alpha: 0.2, seed: 7 } }),
      spec({ depth: 2 }),
      spec({ stepSize: 0.02 }),
      spec({ steps: 60 }),
      spec({ n: 5 }),
    ])
      expect(seedlessKey(changed)).not.toBe(key);
  });

  it('keeps the seeds of the problem (a sensing operator is drawn from it)', () => {
    const a = spec({ problem: { kind: 'sensing', measurements: 8, seed: 1 } });
    const b = spec({ problem: { kind: 'sensing', measurements: 8, seed: 2 } });
    expect(seedlessKey(a)).not.toBe(seedlessKey(b));
  });

  it('is the key of the spec it was first asked for, not of a later edit (specs are read-only)', () => {
    const s = spec();
    const key = seedlessKey(s);
    expect(key).toBe(JSON.stringify({ ...s, target: { ...s.target, seed: 0 }, init: { ...s.init, seed: 0 } }));
    expect(seedlessKey(s)).toBe(key);
  });

  it('a variant recorded as sharing its base’s key has the key it would have by itself', () => {
    expect(SEEDLESS_PATHS).toEqual(['target.seed', 'init.seed']);
    const base = spec();
    const variant = spec({ target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 5 }, init: { kind: 'gaussian', alpha: 0.1, seed: 8 } });
    const alone = seedlessKey(spec({ target: { kind: 'spectrum', eigenvalues: [3, 1], seed: 5 }, init: { kind: 'gaussian', alpha: 0.1, seed: 8 } }));
    sharesSeedlessKey(variant, base);
    expect(seedlessKey(variant)).toBe(seedlessKey(base));
    expect(seedlessKey(variant)).toBe(alone);
    sharesSeedlessKey(base, base); // a spec is not its own base
    expect(seedlessKey(base)).toBe(alone);
  });
});
