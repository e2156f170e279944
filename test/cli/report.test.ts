import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

  it('renders every plot offline in Chromium and saves SVG and PNG figures', async () => {
    expect(existsSync('/usr/bin/chromium'), 'apt-get install -y chromium').toBe(true);
    const results = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('report')).map((f) => path.join(dir, f));
    const figures = path.join(dir, 'figures');
    expect(await main(['report', ...results, '--html', path.join(dir, 'figures.html'), '--figures', figures])).toBe(0);
    const files = readdirSync(figures);
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    for (const svg of files.filter((f) => f.endsWith('.svg'))) {
      const text = readFileSync(path.join(figures, svg), 'utf8');
      // Four charts, each with drawn series paths.
      expect(text.match(/<path /g)?.length ?? 0).toBeGreaterThan(8);
    }
  });

  it('rejects input that is not a result, in one line', async () => {
    expect(await main(['report', 'package.json', '--html', path.join(dir, 'x.html')])).toBe(2);
    expect(await main(['report', path.join(dir, 'nope.json'), '--html', path.join(dir, 'x.html')])).toBe(2);
  });
});
