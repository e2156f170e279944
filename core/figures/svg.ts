import { escapeHtml } from '../text';

// What every static figure is made of: parts (SVG elements without a root, with their size in
// CSS pixels), a theme, and the standalone document. Strings only (no DOM): the report page,
// the CLI and the extension's comparison panel build the same markup. Presentation attributes
// only, never `style`: the webview's CSP allows no inline styles.

export const esc = escapeHtml;
/** A coordinate to one decimal (SVG size stays small, positions stay exact to 0.05 px). */
export const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

/**
 * Text with TeX-like sub- and superscripts (`Ŵ_L`, `‖W‖_F^2`, `W_{j+1}`) as escaped SVG text
 * with tspans: one character, or a braced group, is lowered or raised.
 */
export function mathText(s: string): string {
  const out: string[] = [];
  const re = /([_^])(\{([^}]*)\}|(.))/gu;
  let last = 0;
  for (const m of s.matchAll(re)) {
    out.push(esc(s.slice(last, m.index)));
    const shift = m[1] === '_' ? 'sub' : 'super';
    out.push(`<tspan baseline-shift="${shift}" font-size="75%">${esc(m[3] ?? m[4])}</tspan>`);
    last = m.index + m[0].length;
  }
  out.push(esc(s.slice(last)));
  return out.join('');
}

/** Rough text width at a font size: figures are laid out without measuring text. */
export const textWidth = (s: string, size: number) => [...s].length * size * 0.56;

/** One drawn part of a figure: its SVG elements (no root) and its size in CSS pixels. */
export interface SvgPart {
  body: string;
  width: number;
  height: number;
}

/** Colours and font of a static figure. */
export interface FigureTheme {
  background: string;
  foreground: string;
  /** Tick labels, axis titles, secondary text. */
  muted: string;
  grid: string;
  fontFamily: string;
  /** One colour per L, per compared run, per leading singular value. */
  categorical: readonly string[];
}

/**
 * The theme of publication figures: white, black text, the Okabe–Ito palette (told apart with
 * every common colour-vision deficiency), fonts every PDF viewer has.
 */
export const PAPER_THEME: FigureTheme = {
  background: '#ffffff',
  foreground: '#111111',
  muted: '#444444',
  grid: '#e4e4e4',
  fontFamily: 'Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif',
  categorical: ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#000000', '#999933'],
};

/** A part as a standalone `<svg>` element (to put in a page). */
export function svgElement(part: SvgPart, attributes: Record<string, string> = {}): string {
  const extra = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${part.width}" height="${part.height}" viewBox="0 0 ${part.width} ${part.height}"${extra}>${part.body}</svg>`;
}

/** Parts laid out in rows of `columns`, under an optional title, as one part. */
export function gridPart(parts: readonly SvgPart[], options: { columns: number; title?: string; theme: FigureTheme; gap?: number }): SvgPart {
  const gap = options.gap ?? 12;
  const head = options.title ? 26 : 0;
  const columns = Math.max(1, Math.min(options.columns, parts.length));
  const cellW = Math.max(...parts.map((p) => p.width), 1);
  const rows: SvgPart[][] = [];
  for (let i = 0; i < parts.length; i += columns) rows.push(parts.slice(i, i + columns));
  const rowH = rows.map((r) => Math.max(...r.map((p) => p.height)));
  const width = columns * cellW + (columns - 1) * gap;
  const height = head + rowH.reduce((a, b) => a + b, 0) + (rows.length - 1) * gap;
  const out: string[] = [];
  if (options.title) out.push(`<text x="0" y="17" fill="${esc(options.theme.foreground)}" font-family="${esc(options.theme.fontFamily)}" font-size="14" font-weight="bold">${esc(options.title)}</text>`);
  let y = head;
  rows.forEach((row, r) => {
    row.forEach((p, c) => out.push(`<svg x="${c * (cellW + gap)}" y="${y}" width="${p.width}" height="${p.height}" viewBox="0 0 ${p.width} ${p.height}" overflow="visible">${p.body}</svg>`));
    y += rowH[r] + gap;
  });
  return { body: out.join('\n'), width, height };
}

/** A part as a standalone SVG document with a background and a margin (what `--figures` writes). */
export function figureDocument(part: SvgPart, theme: FigureTheme, margin = 8): string {
  const width = Math.ceil(part.width + 2 * margin);
  const height = Math.ceil(part.height + 2 * margin);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${esc(theme.fontFamily)}">`,
    `<rect width="100%" height="100%" fill="${esc(theme.background)}"/>`,
    `<g transform="translate(${margin},${margin})">${part.body}</g>`,
    '</svg>',
    '',
  ].join('\n');
}
