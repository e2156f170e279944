import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { captureOutput } from '../helpers/cliOutput';

// `dfl report`: one self-contained HTML file (no network) with the Lab's plots, and figures
// rendered by Debian's Chromium (CI installs it; without it this test fails and says so).
const io = captureOutput();

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-report-'));

beforeAll(async () => {
  expect(existsSync('dist/webview/report.js'), 'the report page is built by npm run build').toBe(true);
  expect(await main(['run', '--preset', 'paper-random-init-scale', '--out', dir, '--quiet'])).toBe(0);
  expect(await main(['run', '--preset', 'denoise-early-stopping', '--out', dir, '--quiet'])).toBe(0);
});

describe('dfl report', () => {
  it('writes a self-contained HTML file and states each preset claim with measured numbers', async () => {
    const results = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.join(dir, f));
    const html = path.join(dir, 'report.html');
    expect(await main(['report', ...results, '--html', html])).toBe(0);
    const text = readFileSync(html, 'utf8');
    // Nothing is loaded from anywhere: no external scripts, stylesheets or CSS urls.
    expect(/<script[^>]+src=|<link[^>]+href=|url\(\s*['"]?https?:/.test(text), 'an external resource').toBe(false);
    expect(text).toContain('Small initialization keeps the order of learning');
    expect(io.out).toMatch(/alpha = 0\.1, order of learning: .* in order/);
    expect(io.out).toMatch(/alpha = 1, order of learning: .* not in order/);
    // The end line names the measure the run used (the preset's), not "erank" for every one.
    expect(io.out).toMatch(/alpha = 0\.1, end: completed at step \d+; final loss [^,]+, nuclear rank ‖W‖\*\/‖W‖₂ [0-9.]+/);
    expect(io.out).toMatch(/error to W\*: ‖W\(k\) − W\*‖_F is smallest .* inside the predicted interval for L = 3/);
  });

  it('renders every figure offline in Chromium: each run as four panels and a grid, each preset that allows it as a comparison, in SVG, PDF and PNG', async () => {
    expect(existsSync('/usr/bin/chromium'), 'apt-get install -y chromium').toBe(true);
    const results = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('report')).map((f) => path.join(dir, f));
    const figures = path.join(dir, 'figures');
    expect(await main(['report', ...results, '--html', path.join(dir, 'figures.html'), '--figures', figures])).toBe(0);
    const files = readdirSync(figures);
    // 3 runs × (grid + 4 panels) + paper-random-init-scale's comparison of α (grid + 2 panels).
    for (const ext of ['svg', 'pdf', 'png']) expect(files.filter((f) => f.endsWith(`.${ext}`)), ext).toHaveLength(3 * 5 + 3);
    expect(files).toContain('paper-random-init-scale-compare.svg');
    expect(readFileSync(path.join(figures, 'paper-random-init-scale-compare.svg'), 'utf8')).toMatch(/α = 0\.1[^]*α = 1\b/);
    for (const svg of files.filter((f) => f.endsWith('.svg'))) {
      const text = readFileSync(path.join(figures, svg), 'utf8');
      expect(text.match(/<path /g)?.length ?? 0, svg).toBeGreaterThan(0);
      expect(text, svg).not.toMatch(/hover|init\.alpha/);
    }
  });

  it('rejects input that is not a result, in one line', async () => {
    expect(await main(['report', 'package.json', '--html', path.join(dir, 'x.html')])).toBe(2);
    expect(await main(['report', path.join(dir, 'nope.json'), '--html', path.join(dir, 'x.html')])).toBe(2);
  });

  it('rejects bad figure options and a comparison of runs that differ in more than two fields, in one line', async () => {
    const results = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('report')).map((f) => path.join(dir, f));
    const html = path.join(dir, 'x.html');
    const figures = path.join(dir, 'bad-figures');
    const cases: [string[], RegExp][] = [
      [['--figures', figures, '--dpi', '10'], /--dpi: must be from 72 to 1200 \(got 10\)/],
      [['--figures', figures, '--size', '10x10'], /--size: expected WIDTHxHEIGHT/],
      [['--figures', figures, '--size', 'big'], /--size: expected WIDTHxHEIGHT/],
      [['--dpi', '300'], /--size and --dpi set the files of --figures DIR/],
      [['--compare'], /dfl report --compare: the results differ in \d+ fields \(.*\); a comparison overlays runs that differ in one or two/],
    ];
    for (const [flags, message] of cases) {
      io.err = '';
      expect(await main(['report', ...results, '--html', html, ...flags]), flags.join(' ')).toBe(2);
      expect(io.err.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(io.err).toMatch(message);
    }
    expect(existsSync(figures)).toBe(false);
  });
});

describe('dfl report on the paper\'s depth preset', () => {
  const depths = mkdtempSync(path.join(tmpdir(), 'dfl-report-depths-'));

  it('overlays N = 1…4 in one figure (effective rank, singular values) and writes each panel as SVG, vector PDF and PNG at the DPI asked', async () => {
    expect(await main(['run', '--preset', 'paper-identity-depths', '--out', depths, '--quiet'])).toBe(0);
    const results = readdirSync(depths).filter((f) => f.endsWith('.json')).map((f) => path.join(depths, f));
    expect(results).toHaveLength(4);
    const figures = path.join(depths, 'figures');
    const html = path.join(depths, 'report.html');
    expect(await main(['report', ...results, '--html', html, '--figures', figures, '--size', '420x300', '--dpi', '192'])).toBe(0);
    expect(io.out).toMatch(/^paper-identity-depths: Identity init.*\n {2}compared: depth N and initial scale α: N = 1 \(α = 0\.001\); N = 2 \(α = 0\.03162\); N = 3 \(α = 0\.1\); N = 4 \(α = 0\.1778\)$/m);
    // The page opens with its figures: the comparison first, then the runs, the words after them.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1180, height: 900 } });
      await page.goto(`file://${html}`);
      await page.waitForSelector('body[data-state="done"]');
      const order = await page.evaluate(() => {
        const first = document.querySelector('figure.report-figure')!;
        const words = document.querySelector('.claim, .findings-box')!;
        return { first: first.id, beforeWords: (first.compareDocumentPosition(words) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0, top: first.getBoundingClientRect().top, figures: document.querySelectorAll('figure.report-figure').length };
      });
      expect(order).toMatchObject({ first: 'figure-paper-identity-depths-compare', beforeWords: true, figures: 5 });
      expect(order.top).toBeLessThan(250);
    } finally {
      await browser.close();
    }
    for (const name of ['paper-identity-depths-compare', 'paper-identity-depths-compare-erank', 'paper-identity-depths-compare-sigma', 'paper-identity-depths-n-3', 'paper-identity-depths-n-3-sigma', 'paper-identity-depths-n-3-erank', 'paper-identity-depths-n-3-loss', 'paper-identity-depths-n-3-distance']) {
      const svg = readFileSync(path.join(figures, `${name}.svg`), 'utf8');
      const [, w, h] = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
      // PNG: 2× the SVG's CSS pixels at 192 dpi, and the resolution recorded (pHYs, pixels per metre).
      const png = readFileSync(path.join(figures, `${name}.png`));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], name).toEqual([2 * w, 2 * h]);
      const phys = png.indexOf('pHYs');
      expect(phys, `${name}.png pHYs`).toBeGreaterThan(0);
      expect(png.readUInt32BE(phys + 4)).toBe(Math.round(192 / 0.0254));
      // PDF: one page the figure's size (pt = px · 3/4), vector (no image in it).
      const pdf = readFileSync(path.join(figures, `${name}.pdf`)).toString('latin1');
      expect(pdf.startsWith('%PDF-')).toBe(true);
      expect(pdf.match(/\/Type\s*\/Page\b/g), name).toHaveLength(1);
      const box = /\/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf)!;
      // (Chromium rounds the page to its own units: within a point.)
      expect(Math.abs(Number(box[1]) - 0.75 * w), name).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(box[2]) - 0.75 * h), name).toBeLessThanOrEqual(1);
      expect(pdf, `${name}.pdf has a raster image`).not.toMatch(/\/Subtype\s*\/Image/);
      expect(svg).not.toMatch(/hover|init\.alpha|measured\.L/);
    }
    // Single panels at the size asked (plus the document's 8 px margin).
    expect(/width="(\d+)"/.exec(readFileSync(path.join(figures, 'paper-identity-depths-compare-erank.svg'), 'utf8'))![1]).toBe('436');
    const compare = readFileSync(path.join(figures, 'paper-identity-depths-compare.svg'), 'utf8');
    for (const label of ['N = 1 (α = 0.001)', 'N = 2 (α = 0.03162)', 'N = 3 (α = 0.1)', 'N = 4 (α = 0.1778)', 'step k', 'σᵢ(W(k))', 'nuclear rank r*(W(k))']) expect(compare, label).toContain(label);
  }, 180_000);
});
