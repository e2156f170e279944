// Colours of the plots and heatmaps, derived from the VS Code theme's CSS variables so that the
// Lab reads well on light, dark and high-contrast themes.

export interface PlotTheme {
  dark: boolean;
  highContrast: boolean;
  background: string;
  foreground: string;
  /** Axis labels and tick text. */
  muted: string;
  grid: string;
  font: string;
  fontFamily: string;
  /** The erank line, loss line and the step marker. */
  accent: string;
  accent2: string;
  /** What is marked as false on the plots (a claim's violation): the theme's failed-test colour. */
  failure: string;
  /** One colour per L (plateaus, distances). */
  categorical: string[];
}

export type Rgb = [number, number, number];

function parseColor(text: string): Rgb | undefined {
  const s = text.trim();
  let m = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (m) {
    const h = m[1];
    if (h.length === 3 || h.length === 4) return [0, 1, 2].map((i) => parseInt(h[i] + h[i], 16)) as Rgb;
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
  }
  m = /^rgba?\(([^)]+)\)$/i.exec(s);
  if (m) {
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).slice(0, 3).map(Number);
    if (parts.length === 3 && parts.every(Number.isFinite)) return parts as Rgb;
  }
  return undefined;
}

/** Relative luminance of a colour (WCAG): dark or light themes, dark or light text on a cell. */
export function relativeLuminance([r, g, b]: Rgb): number {
  const f = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

function rgba([r, g, b]: Rgb, alpha: number): string {
  return `rgba(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)}, ${alpha})`;
}

export function withAlpha(color: string, alpha: number): string {
  const rgb = parseColor(color);
  return rgb ? rgba(rgb, alpha) : color;
}

/** Reads the theme from the computed style of `<body>` (VS Code sets the variables there). */
export function readPlotTheme(element: Element = document.body): PlotTheme {
  const style = getComputedStyle(element);
  const v = (name: string) => style.getPropertyValue(name).trim();
  const background = v('--vscode-editor-background') || (style.backgroundColor && style.backgroundColor !== 'rgba(0, 0, 0, 0)' ? style.backgroundColor : '#1e1e1e');
  const bg = parseColor(background) ?? [30, 30, 30];
  const dark = relativeLuminance(bg) < 0.3;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = v('--vscode-editor-foreground') || v('--vscode-foreground') || (dark ? '#cccccc' : '#333333');
  const fg = parseColor(foreground) ?? (dark ? [204, 204, 204] : [51, 51, 51]);
  const fontFamily = v('--vscode-font-family') || 'system-ui, sans-serif';
  const categorical = dark
    ? ['#4cc9f0', '#f72585', '#ffd166', '#06d6a0', '#ff8c42', '#b388ff', '#90e0ef', '#ef476f']
    : ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#6a3d9a', '#b15928'];
  return {
    dark,
    highContrast,
    background,
    foreground,
    muted: rgba(fg, highContrast ? 1 : 0.72),
    grid: rgba(fg, highContrast ? 0.35 : dark ? 0.09 : 0.1),
    font: `11px ${fontFamily}`,
    fontFamily,
    accent: dark ? '#4cc9f0' : '#0b6bcb',
    accent2: dark ? '#ffb86b' : '#c2410c',
    failure: v('--vscode-testing-iconFailed') || v('--vscode-errorForeground') || (dark ? '#f14c4c' : '#c72e0f'),
    categorical,
  };
}

// Perceptual colormaps as control points (matplotlib's viridis and plasma, sampled).
const VIRIDIS: Rgb[] = [
  [68, 1, 84], [72, 35, 116], [64, 67, 135], [52, 94, 141], [41, 120, 142], [32, 144, 140], [34, 167, 132], [68, 190, 112], [121, 209, 81], [189, 222, 38], [253, 231, 37],
];
const PLASMA: Rgb[] = [
  [13, 8, 135], [65, 4, 157], [106, 0, 168], [143, 13, 164], [177, 42, 144], [204, 71, 120], [225, 100, 98], [242, 132, 75], [252, 166, 54], [252, 206, 37], [240, 249, 33],
];

function sample(map: Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (map.length - 1);
  const i = Math.min(map.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => map[i][c] + f * (map[i + 1][c] - map[i][c])) as Rgb;
}

/** Sequential colormap (viridis) for heatmaps of one-signed values, t in [0, 1]. */
export function sequentialColor(t: number): Rgb {
  return sample(VIRIDIS, Number.isFinite(t) ? t : 0);
}

/**
 * Colour of singular value i of `count`: the largest are the most salient (bright on dark
 * themes, deep on light ones) and the tail recedes towards the background.
 */
export function singularValueColor(theme: PlotTheme, i: number, count: number): string {
  const t = count <= 1 ? 0 : i / (count - 1);
  if (theme.dark) return rgba(sample(PLASMA, 0.98 - 0.78 * Math.sqrt(t)), 1);
  return rgba(sample(VIRIDIS, 0.86 * Math.sqrt(t)), 1);
}

/**
 * Diverging colormap for heatmaps, value in [−1, 1]: blue for negative, red for positive. On
 * dark themes the centre is dark (so zero reads as background), on light themes white.
 */
export function divergingColor(theme: PlotTheme, value: number): Rgb {
  const t = Math.max(-1, Math.min(1, value));
  const neg: Rgb = theme.dark ? [86, 180, 255] : [33, 102, 172];
  const pos: Rgb = theme.dark ? [255, 120, 80] : [178, 24, 43];
  const mid: Rgb = theme.dark ? [24, 26, 32] : [247, 247, 247];
  const end = t < 0 ? neg : pos;
  const a = Math.abs(t) ** 0.8;
  return [0, 1, 2].map((c) => mid[c] + a * (end[c] - mid[c])) as Rgb;
}
