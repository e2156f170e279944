import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { parseRunResult, type RunResult } from '../core/result';
import { parseJson } from '../core/spec/parseSpec';
import { reportData, reportSweep, type ReportData, type ReportSweep } from '../core/report/reportData';
import { parseSweepSummary } from '../core/sweep/phaseDiagram';
import { escapeHtml } from '../core/text';
import { checkOutputFile, checkOutputFolder, readTextFile, writeFileAtomic } from '../node/files';
import { parseFlags } from './flags';
import { printable } from './terminal';
import type { Browser } from 'playwright-core';

export { reportData };

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
export function reportHtml(data: ReportData): string {
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

/**
 * Debian's Chromium, started before the report is written: a missing or failing browser is then
 * refused before any output exists, not after the HTML file is in place.
 */
async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.DFL_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new InputError(`--figures: needs Chromium at ${executablePath} (apt-get install -y chromium)`);
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath, timeout: 60_000, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'] });
  } catch (error) {
    const reason = String((error as Error).message ?? error).split('\n')[0].replace(/^browserType\.launch: /, '');
    throw new InputError(`--figures: Chromium at ${executablePath} did not start (${reason})`);
  }
}

/** Renders the report in the browser and saves each run's plots as SVG and PNG. */
async function writeFigures(browser: Browser, htmlFile: string, dir: string): Promise<string[]> {
  try {
    const page = await browser.newPage({ viewport: { width: 1180, height: 900 }, deviceScaleFactor: 1.5 });
    await page.goto(`file://${path.resolve(htmlFile)}`);
    await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
    const figures = await page.evaluate(() => window.dflFigures!().map(({ name, svg, element }) => ({ name, svg, element })));
    // PNG: the browser's own rendering of each figure (a run's plots, keys and plateau table; a sweep's figure).
    mkdirSync(dir, { recursive: true });
    const written: string[] = [];
    for (const f of figures) {
      writeFileSync(path.join(dir, `${f.name}.svg`), f.svg);
      const element = await page.$(`[id="${f.element}"]`);
      if (!element) throw new Error(`report page: no element #${f.element} for figure ${f.name}`);
      await element.screenshot({ path: path.join(dir, `${f.name}.png`) });
      written.push(f.name);
    }
    return written;
  } finally {
    await browser.close();
  }
}

/** `dfl report RESULT.json… --html OUT.html [--figures DIR]`. */
export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { html: { type: 'string' }, figures: { type: 'string' } }, true);
  if (positionals.length === 0) throw new InputError('dfl report: give one or more result JSON files or sweep folders');
  if (values.html === undefined) throw new InputError('dfl report: --html OUT.html is required');
  checkOutputFile(values.html, { inputs: positionals, flag: '--html' });
  if (values.figures !== undefined) checkOutputFolder(values.figures, '--figures');
  const folders = positionals.filter(isFolder);
  const results = positionals.filter((p) => !isFolder(p)).map((file) => ({ file, result: readResult(file) }));
  const sweeps = folders.map(readSweepFolder);
  const data = reportData(results, sweeps);
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
  for (const s of data.sections) {
    process.stdout.write(`${printable(s.heading)}\n`);
    for (const f of s.findings) process.stdout.write(`  ${printable(f.label)}: ${printable(f.text)}\n`);
  }
  if (browser && values.figures !== undefined) {
    const names = await writeFigures(browser, values.html, values.figures);
    process.stderr.write(`wrote ${names.length} figures (SVG and PNG) to ${printable(values.figures)}\n`);
  }
  return 0;
}
