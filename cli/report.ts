import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { parseRunResult, type RunResult } from '../core/result';
import { parseJson } from '../core/spec/parseSpec';
import { reportData, reportSweep, type ReportData, type ReportSweep } from '../core/report/reportData';
import { parseSweepSummary } from '../core/sweep/phaseDiagram';
import { escapeHtml } from '../core/text';
import { checkOutputFile, checkOutputFolder, readTextFile, writeFileAtomic } from '../node/files';
import { integerFlag } from './flags';
import { parseCommand, REPORT_COMMAND } from './options';
import { printable } from './terminal';
import type { Browser } from 'playwright-core';

/** dist/webview/report.{js,css}, next to the CLI bundle or under the repository when run from sources. */
function reportAssets(): { script: string; style: string } {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const dir of [path.join(here, 'webview'), path.join(here, '..', 'dist', 'webview')]) {
    const script = path.join(dir, 'report.js');
    if (existsSync(script)) return { script: readFileSync(script, 'utf8'), style: readFileSync(path.join(dir, 'report.css'), 'utf8') };
  }
  throw new InputError('the report page is not built (run npm run build)');
}

/** A result file, read as a regular file with a cap and validated with the one result schema. */
function readResult(file: string): RunResult {
  const text = readTextFile(file);
  return parseRunResult(parseJson(text, file), file);
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A sweep folder (`dfl sweep --out DIR`): its summary.json, validated; its figures. */
function readSweepFolder(dir: string): ReportSweep {
  const file = path.join(dir, 'summary.json');
  if (!existsSync(file)) throw new InputError(`${dir}: a folder, but no summary.json in it (dfl report takes result files and sweep folders written by dfl sweep --out)`);
  return reportSweep(dir, parseSweepSummary(parseJson(readTextFile(file), file), file));
}

/** One HTML file with the data, the script and the styles inlined: it opens offline anywhere. */
function reportHtml(data: ReportData): string {
  const { script, style } = reportAssets();
  // `<` escaped so that no string in the data can close the script element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${style}</style>
</head>
<body data-state="loading">
<main id="report"></main>
<script type="application/json" id="dfl-report-data">${json}</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

/** Figure files: single panels are `size` CSS pixels; PNGs are drawn at `dpi` (96 CSS px = 1 inch). */
interface FigureOptions {
  width: number;
  height: number;
  dpi: number;
}

const DEFAULT_FIGURE_OPTIONS: FigureOptions = { width: 480, height: 330, dpi: 300 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A PNG with its resolution recorded (a pHYs chunk after IHDR, pixels per metre): viewers and
 * LaTeX then place it at its intended size. Chromium's screenshots carry none.
 */
function withPngDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const data = Buffer.alloc(9);
  data.writeUInt32BE(ppm, 0);
  data.writeUInt32BE(ppm, 4);
  data[8] = 1;
  const typeAndData = Buffer.concat([Buffer.from('pHYs', 'ascii'), data]);
  const chunk = Buffer.alloc(4 + typeAndData.length + 4);
  chunk.writeUInt32BE(data.length, 0);
  typeAndData.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typeAndData), 4 + typeAndData.length);
  const afterIhdr = 8 + 4 + 4 + 13 + 4;
  return Buffer.concat([png.subarray(0, afterIhdr), chunk, png.subarray(afterIhdr)]);
}

/**
 * Debian's Chromium, started before the report is written: a missing or failing browser is then
 * refused before any output exists, not after the HTML file is in place.
 */
async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.DFL_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new InputError(`--figures: needs Chromium at ${executablePath} (apt-get install -y chromium)`);
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath, timeout: 60_000, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--font-render-hinting=none'] });
  } catch (error) {
    const reason = String((error as Error).message ?? error).split('\n')[0].replace(/^browserType\.launch: /, '');
    throw new InputError(`--figures: Chromium at ${executablePath} did not start (${reason})`);
  }
}

/**
 * Renders the report in the browser and writes every figure three times: SVG (from the page),
 * PDF (Chromium's print of the SVG: vector, text kept as text) and PNG at `options.dpi`.
 */
async function writeFigures(browser: Browser, htmlFile: string, dir: string, options: FigureOptions): Promise<string[]> {
  try {
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
    await page.goto(`file://${path.resolve(htmlFile)}`);
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const figures = await page.evaluate((size) => window.dflFigures!(size), { width: options.width, height: options.height });
    mkdirSync(dir, { recursive: true });
    // One page for the prints: the SVG alone on it, the page exactly its size.
    const print = await (await browser.newContext({ deviceScaleFactor: options.dpi / 96 })).newPage();
    const written: string[] = [];
    for (const f of figures) {
      writeFileSync(path.join(dir, `${f.name}.svg`), f.svg);
      const size = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(f.svg);
      if (!size) throw new Error(`report page: figure ${f.name} has no size`);
      const [width, height] = [Number(size[1]), Number(size[2])];
      await print.setViewportSize({ width, height });
      await print.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page{size:${width}px ${height}px;margin:0}html,body{margin:0;padding:0}svg{display:block}</style></head><body>${f.svg}</body></html>`);
      const png = await print.locator('svg').first().screenshot({ type: 'png' });
      writeFileSync(path.join(dir, `${f.name}.png`), withPngDpi(png, options.dpi));
      await print.pdf({ path: path.join(dir, `${f.name}.pdf`), width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
      written.push(f.name);
    }
    return written;
  } finally {
    await browser.close();
  }
}

/** `--size WxH`: the CSS-pixel size of a single panel. */
function parseSize(value: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(value.trim());
  const [width, height] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || width < 240 || width > 2400 || height < 180 || height > 2400) throw new InputError(`--size: expected WIDTHxHEIGHT in CSS pixels, each from 240 (height 180) to 2400, e.g. 480x330 (got ${JSON.stringify(value)})`);
  return { width, height };
}

/**
 * `dfl report RESULT.json… --html OUT.html [--compare] [--figures DIR [--size WxH] [--dpi N]]`.
 * Results of one preset that differ in one or two fields are overlaid in a comparison figure;
 * `--compare` overlays all the results given (and says why when they differ in more).
 */
export async function reportCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(REPORT_COMMAND, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new InputError('dfl report: give one or more result JSON files or sweep folders');
  if (values.html === undefined) throw new InputError('dfl report: --html OUT.html is required');
  if ((values.size !== undefined || values.dpi !== undefined) && values.figures === undefined) throw new InputError('dfl report: --size and --dpi set the files of --figures DIR; give --figures too');
  const figureOptions: FigureOptions = {
    ...(values.size !== undefined ? parseSize(values.size) : { width: DEFAULT_FIGURE_OPTIONS.width, height: DEFAULT_FIGURE_OPTIONS.height }),
    dpi: integerFlag('--dpi', values.dpi, { min: 72, max: 1200, fallback: DEFAULT_FIGURE_OPTIONS.dpi }),
  };
  checkOutputFile(values.html, { inputs: positionals, flag: '--html' });
  if (values.figures !== undefined) checkOutputFolder(values.figures, '--figures');
  const folders = positionals.filter(isFolder);
  const results = positionals.filter((p) => !isFolder(p)).map((file) => ({ file, result: readResult(file) }));
  if (values.compare && results.length < 2) throw new InputError(`dfl report --compare: needs two or more result files (got ${results.length})`);
  const sweeps = folders.map(readSweepFolder);
  const data = reportData(results, sweeps, { compareAll: values.compare === true });
  const html = reportHtml(data);
  const browser = values.figures !== undefined ? await launchChromium() : undefined;
  try {
    writeFileAtomic(values.html, html);
  } catch (error) {
    await browser?.close();
    throw error;
  }
  const parts = [results.length > 0 ? `${results.length} result${results.length > 1 ? 's' : ''}` : '', sweeps.length > 0 ? `${sweeps.length} sweep${sweeps.length > 1 ? 's' : ''}` : ''].filter(Boolean);
  process.stderr.write(`wrote ${printable(values.html)} (${parts.join(', ')})\n`);
  for (const s of sweeps) {
    process.stdout.write(`sweep ${printable(s.title)}: ${s.summary.done}/${s.summary.total} runs, axes ${printable(s.summary.axes.join(', '))}\n`);
    for (const f of s.figures) process.stdout.write(`  ${f.measure} over ${f.x}${f.y ? ` × ${f.y}` : ''}\n`);
  }
  for (const c of data.comparisons.filter((x) => x.section === undefined)) process.stdout.write(`compared: ${c.heading}\n`);
  for (const s of data.sections) {
    process.stdout.write(`${printable(s.heading)}${s.description ? `: ${printable(s.description)}` : ''}\n`);
    for (const c of data.comparisons.filter((x) => x.section === s.id)) process.stdout.write(`  compared: ${printable(c.heading)}\n`);
    for (const f of s.findings) process.stdout.write(`  ${printable(f.label)}: ${printable(f.text)}\n`);
  }
  if (browser && values.figures !== undefined) {
    const names = await writeFigures(browser, values.html, values.figures, figureOptions);
    process.stderr.write(`wrote ${names.length} figures (SVG, PDF, PNG at ${figureOptions.dpi} dpi) to ${printable(values.figures)}\n`);
  }
  return 0;
}
