import type { RunResult } from '../../core/result';

// The reconstructions of a run (spec.record.snapshots): W(k) as images at the kept steps, beside
// Ŵ and its best rank-L approximations Ŵ_L, all on one grey scale (the target's range), so that a
// digit's low-rank phases read as the paper's figure does. The Lab shows it under the heatmaps,
// `dfl report` under each run's plots. Sizes are set through the CSSOM (the CSP allows no inline
// style attributes; CSSOM writes are not inline markup).

function image(matrix: number[][], lo: number, hi: number, caption: string, scale = 4): HTMLElement {
  const n = matrix.length;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = n;
  canvas.style.width = canvas.style.height = `${n * scale}px`;
  canvas.style.imageRendering = 'pixelated';
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const t = Math.min(1, Math.max(0, (matrix[i][j] - lo) / (hi - lo || 1)));
      const v = Math.round(255 * (1 - t)); // dark = large, like ink on paper
      const k = 4 * (i * n + j);
      pixels.data[k] = pixels.data[k + 1] = pixels.data[k + 2] = v;
      pixels.data[k + 3] = 255;
    }
  context.putImageData(pixels, 0, 0);
  const figure = document.createElement('figure');
  figure.className = 'snapshot';
  const label = document.createElement('figcaption');
  label.textContent = caption;
  figure.append(canvas, label);
  return figure;
}

/** The strip of W(k) snapshots, Ŵ and Ŵ_L, or undefined when the run kept none. */
export function snapshotStrip(result: RunResult): HTMLElement | undefined {
  const s = result.snapshots;
  if (!s || s.steps.length === 0) return undefined;
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of s.target)
    for (const x of row) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
  const n = s.target.length;
  const scale = Math.max(1, Math.round(112 / n));
  const strip = document.createElement('div');
  strip.className = 'snapshots';
  const title = document.createElement('p');
  title.className = 'snapshots-title';
  title.textContent = 'Reconstructions W(k) at the kept steps, then Ŵ_L and Ŵ (one grey scale: the range of Ŵ)';
  strip.append(title);
  const row = document.createElement('div');
  row.className = 'snapshot-row';
  s.steps.forEach((step, i) => row.append(image(s.matrices[i], lo, hi, `W(${step}) · ${s.reasons[i].replace(/^midpoint of the /, 'mid ')}`, scale)));
  for (const b of s.bestRank) row.append(image(b.matrix, lo, hi, `Ŵ_${b.L}`, scale));
  row.append(image(s.target, lo, hi, 'Ŵ', scale));
  strip.append(row);
  return strip;
}

/** Fills `container` with the run's strip (hidden when it kept no snapshots). */
export function showSnapshotStrip(container: HTMLElement, result: RunResult | undefined): void {
  const strip = result && snapshotStrip(result);
  container.replaceChildren(...(strip ? [strip] : []));
  container.hidden = !strip;
}
