import { describe, expect, it } from 'vitest';
import { LAPACK_QR_MIN_N, randomOrthogonal } from '../../../core/linalg/decompositions';
import { fromEigen } from '../../../core/linalg/dense';
import { createRng } from '../../../core/random';
import { loadNative, nativeAccelerators } from '../../../native/loader';

// The Haar-random eigenvectors of a spectrum target through LAPACK (dgeqrf + dorgqr) where the
// native module has it: Q is unique once R's diagonal is positive, so LAPACK's Q equals the
// TypeScript QR's to rounding (both backward stable: ‖ΔQ‖ ≲ c·n·u, u = 2⁻⁵³; 1e-11 at n = 130).

const mod = loadNative();
const lapack = mod ? nativeAccelerators(mod).orthogonal : null;

describe.skipIf(!lapack)('randomOrthogonal through LAPACK', () => {
  it('gives the TypeScript QR’s Q from the same draws, orthogonal, at n ≥ LAPACK_QR_MIN_N', () => {
    const n = LAPACK_QR_MIN_N + 2;
    const fast = randomOrthogonal(n, createRng(7), lapack!);
    const plain = randomOrthogonal(n, createRng(7));
    let worst = 0;
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(fast.data[i] - plain.data[i]));
    expect(worst).toBeLessThan(1e-11);
    expect(worst).toBeGreaterThan(0); // it really ran another QR
    // QᵀQ = I.
    const gram = fromEigen({ rows: n, cols: n, data: transpose(fast.data, n) }, new Array(n).fill(1));
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(gram.data[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-12);
  });

  it('is not used below LAPACK_QR_MIN_N (small targets stay bit for bit what they were)', () => {
    const n = 16;
    expect(randomOrthogonal(n, createRng(3), lapack!).data).toEqual(randomOrthogonal(n, createRng(3)).data);
  });
});

function transpose(data: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = data[i * n + j];
  return out;
}
