import type { ExportFormat, WebviewMessageInput } from '../../core/protocol/messages';
import type { RunResult } from '../../core/result';
import { slug } from '../../core/text';
import type { LabCharts } from '../plots/charts';
import { readPlotTheme } from '../plots/colors';
import { chartsToSvg, resultToCsv, resultsToPng } from '../plots/export';

// The Lab's exports as `export` messages (the host shows a save dialog): the plots as PNG or
// SVG, the result as JSON or CSV (those only once a run has finished or a result is shown).

export interface ExportSource {
  charts: LabCharts;
  result: RunResult | undefined;
  /** The spec's name, for the file name. */
  name: string | undefined;
}

export function exportMessage(format: ExportFormat, { charts, result, name }: ExportSource): WebviewMessageInput | undefined {
  const base = slug(name ? `lab-${name}` : 'lab', 'lab');
  const title = document.getElementById('run-title')?.textContent ?? 'Deep Factorization Lab';
  const theme = readPlotTheme();
  switch (format) {
    case 'png':
      return { type: 'export', format, fileName: `${base}.png`, encoding: 'base64', data: resultsToPng(document.querySelector('.results') as HTMLElement, theme, title) };
    case 'svg':
      return { type: 'export', format, fileName: `${base}.svg`, encoding: 'utf8', data: chartsToSvg(charts, theme, title) };
    case 'json':
      return result && { type: 'export', format, fileName: `${base}.json`, encoding: 'utf8', data: JSON.stringify(result) };
    case 'csv':
      return result && { type: 'export', format, fileName: `${base}.csv`, encoding: 'utf8', data: resultToCsv(result) };
  }
}
