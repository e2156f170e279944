import type { RunResult } from '../../core/result';

// The balancedness ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F of a run over the logged steps where it recorded
// it (spec.record.balancedness); the reconstructions W(k) are ../components/snapshotStrip.ts.

/** A small SVG plot of the balancedness per pair of factors over the logged steps (log scales). */
export function balancednessPlot(result: RunResult): HTMLElement | undefined {
  const b = result.balancedness;
  if (!b || b.length === 0 || b[0].length === 0) return undefined;
  const width = 520;
  const height = 160;
  const pad = { left: 56, right: 12, top: 10, bottom: 28 };
  const steps = result.steps.map((k) => Math.max(k, 1));
  const values = b.flat().filter((x) => x > 0);
  if (values.length === 0) return undefined;
  const yMin = Math.log10(Math.min(...values));
  const yMax = Math.log10(Math.max(...values));
  const xMin = Math.log10(steps[0]);
  const xMax = Math.log10(steps[steps.length - 1]);
  const x = (k: number) => pad.left + ((Math.log10(k) - xMin) / (xMax - xMin || 1)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (Math.log10(Math.max(v, 10 ** yMin)) - yMin) / (yMax - yMin || 1)) * (height - pad.top - pad.bottom);
  const colors = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00'];
  let paths = '';
  for (let j = 0; j < b[0].length; j++) {
    const d = b.map((row, t) => `${t === 0 ? 'M' : 'L'}${x(steps[t]).toFixed(1)},${y(row[j]).toFixed(1)}`).join('');
    paths += `<path d="${d}" fill="none" stroke="${colors[j % colors.length]}" stroke-width="1.5"><title>j = ${j + 1}</title></path>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-size="11" font-family="system-ui, sans-serif">
<rect x="${pad.left}" y="${pad.top}" width="${width - pad.left - pad.right}" height="${height - pad.top - pad.bottom}" fill="none" stroke="#d0d7de"/>
<text x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end">${(10 ** yMax).toPrecision(2)}</text>
<text x="${pad.left - 4}" y="${height - pad.bottom}" text-anchor="end">${(10 ** yMin).toPrecision(2)}</text>
<text x="${pad.left}" y="${height - 8}">step ${steps[0]}</text><text x="${width - pad.right}" y="${height - 8}" text-anchor="end">${steps[steps.length - 1]} (log scale)</text>
${paths}</svg>`;
  const figure = document.createElement('figure');
  figure.className = 'balancedness';
  const caption = document.createElement('figcaption');
  caption.textContent = `Balancedness ‖W_{j+1}ᵀW_{j+1} − W_jW_jᵀ‖_F, j = 1…${b[0].length} (log scale): first ${b[0].map((v) => v.toPrecision(3)).join(', ')}, last ${b[b.length - 1].map((v) => v.toPrecision(3)).join(', ')}`;
  figure.innerHTML = svg;
  figure.append(caption);
  return figure;
}
