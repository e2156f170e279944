import uPlot from 'uplot';
import { spreadLabels } from '../../core/figures/linePanel';
import type { PlotTheme } from './colors';

// Overlays described once as primitives in data coordinates, drawn on the canvas here and in SVG
// by ./export.ts.

/** Overlay primitives in data coordinates (x: step, y: the chart's y scale). */
export type Primitive =
  | { type: 'band'; x0: number; x1: number; color: string; label?: string }
  | { type: 'hline'; y: number; x0?: number; x1?: number; color: string; width: number; dash?: number[]; label?: string }
  | { type: 'vline'; x: number; color: string; width: number; dash?: number[] }
  | { type: 'tick'; y: number; color: string; length: number };

/** Draws overlay primitives on a uPlot canvas, clipped to the plotting area. */
export function drawPrimitives(u: uPlot, primitives: Primitive[], theme: PlotTheme): void {
  if (primitives.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const dpr = uPlot.pxRatio;
  const xMin = u.scales.x.min ?? 0;
  const xMax = u.scales.x.max ?? 1;
  const X = (x: number) => u.valToPos(Math.min(Math.max(x, xMin), xMax), 'x', true);
  const Y = (y: number) => u.valToPos(y, 'y', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.font = `${Math.round(10 * dpr)}px ${theme.fontFamily}`;
  // Labels of reference lines close in value (r*(Ŵ₃) = 1.9, r*(Ŵ₄) = 2.05) are pushed apart.
  const labelled = primitives.filter((p): p is Extract<Primitive, { type: 'hline' }> => p.type === 'hline' && !!p.label && Number.isFinite(Y(p.y)));
  const labelY = new Map(labelled.map((p, i) => [p, spreadLabels(labelled.map((q) => Y(q.y) - 2 * dpr), 11 * dpr, top + 11 * dpr, top + height)[i]]));
  for (const p of primitives) {
    ctx.setLineDash([]);
    switch (p.type) {
      case 'band': {
        if (p.x1 < xMin || p.x0 > xMax) break;
        const x0 = X(p.x0);
        const x1 = Math.max(X(p.x1), x0 + dpr);
        ctx.fillStyle = p.color;
        ctx.fillRect(x0, top, x1 - x0, height);
        if (p.label && x1 - x0 > 18 * dpr) {
          ctx.fillStyle = theme.muted;
          ctx.textAlign = 'center';
          ctx.textBaseline = 'top';
          ctx.fillText(p.label, (x0 + x1) / 2, top + 3 * dpr);
        }
        break;
      }
      case 'hline': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        ctx.strokeStyle = p.color;
        ctx.lineWidth = p.width * dpr;
        ctx.lineCap = p.x0 !== undefined ? 'round' : 'butt';
        ctx.setLineDash((p.dash ?? []).map((d) => d * dpr));
        ctx.beginPath();
        ctx.moveTo(p.x0 !== undefined ? X(p.x0) : left, y);
        ctx.lineTo(p.x1 !== undefined ? Math.max(X(p.x1), X(p.x0 ?? p.x1) + dpr) : left + width, y);
        ctx.stroke();
        if (p.label) {
          ctx.fillStyle = theme.muted;
          ctx.textAlign = 'right';
          ctx.textBaseline = 'bottom';
          ctx.fillText(p.label, left + width - 4 * dpr, labelY.get(p) ?? y - 2 * dpr);
        }
        break;
      }
      case 'vline': {
        if (p.x < xMin || p.x > xMax) break;
        const x = X(p.x);
        ctx.strokeStyle = p.color;
        ctx.lineWidth = p.width * dpr;
        ctx.setLineDash((p.dash ?? []).map((d) => d * dpr));
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
        break;
      }
      case 'tick': {
        const y = Y(p.y);
        if (!Number.isFinite(y)) break;
        ctx.strokeStyle = p.color;
        ctx.lineWidth = 2 * dpr;
        ctx.beginPath();
        ctx.moveTo(left + width - p.length * dpr, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        break;
      }
    }
  }
  ctx.restore();
}
