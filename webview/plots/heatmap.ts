import { divergingColor, type PlotTheme } from './colors';

// Heatmaps of n×n matrices on a plain canvas: one pixel per entry in an offscreen image, scaled
// up without smoothing, with a symmetric diverging colour scale shared by the three panels.

/** Side of a heatmap in CSS pixels. */
const HEATMAP_SIZE = 184;

function fitCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  // CSSOM sizing (allowed by the CSP).
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  return canvas.getContext('2d')!;
}

/** Draws `data` (row-major n×n) with values scaled by `scale` (|v| = scale is full colour). */
export function drawHeatmap(canvas: HTMLCanvasElement, data: ArrayLike<number> | undefined, n: number, scale: number, theme: PlotTheme): void {
  const ctx = fitCanvas(canvas, HEATMAP_SIZE, HEATMAP_SIZE);
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  if (!data || n === 0) {
    // An empty frame so a missing panel reads as "nothing here", not as a bug.
    ctx.strokeStyle = theme.grid;
    ctx.setLineDash([4, 4]);
    ctx.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
    return;
  }
  const image = new ImageData(n, n);
  const s = scale > 0 ? 1 / scale : 0;
  for (let i = 0; i < n * n; i++) {
    const [r, g, b] = divergingColor(theme, data[i] * s);
    image.data[4 * i] = r;
    image.data[4 * i + 1] = g;
    image.data[4 * i + 2] = b;
    image.data[4 * i + 3] = 255;
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = n;
  bitmap.height = n;
  bitmap.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  ctx.setLineDash([]);
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(0.5, 0.5, canvas.width - 1, canvas.height - 1);
}

/** The vertical colour bar from +scale (top) to −scale (bottom). */
export function drawColorbar(canvas: HTMLCanvasElement, theme: PlotTheme): void {
  const ctx = fitCanvas(canvas, 14, HEATMAP_SIZE);
  const h = canvas.height;
  for (let y = 0; y < h; y++) {
    const [r, g, b] = divergingColor(theme, 1 - (2 * y) / (h - 1));
    ctx.fillStyle = `rgb(${r | 0}, ${g | 0}, ${b | 0})`;
    ctx.fillRect(0, y, canvas.width, 1);
  }
  ctx.strokeStyle = theme.grid;
  ctx.strokeRect(0.5, 0.5, canvas.width - 1, h - 1);
}

/** Largest |entry| (the shared colour scale). */
export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  return m;
}
