import { describe, expect, it } from 'vitest';
import { fromRows, isSymmetric } from '../../../core/linalg/dense';

describe('isSymmetric', () => {
  it('compares exactly by default, even when the norm overflows', () => {
    expect(isSymmetric(fromRows([[1, 1e200], [0, 1]]))).toBe(false);
    expect(isSymmetric(fromRows([[1e200, 1e300], [1e300, 1]]))).toBe(true);
    expect(isSymmetric(fromRows([[1, 2], [2 + 1e-15, 1]]))).toBe(false);
  });

  it('with a relative tolerance, accepts differences below it', () => {
    expect(isSymmetric(fromRows([[1, 2], [2 + 1e-15, 1]]), 1e-12)).toBe(true);
    expect(isSymmetric(fromRows([[1, 2], [2.1, 1]]), 1e-12)).toBe(false);
  });
});
