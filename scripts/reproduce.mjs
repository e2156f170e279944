// Regenerates docs/reproduction.md's figures and numbers: runs the five presets, writes the
// HTML report and one PNG/SVG figure per run (needs Debian's chromium), and prints the findings
// the page quotes. Usage: npm run reproduce
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const presets = ['paper-identity-depths', 'paper-mnist-depths', 'paper-random-init-scale', 'paper-sensing', 'denoise-early-stopping'];
const results = 'artifacts/reproduction';
const figures = 'docs/images/reproduction';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const dfl = (...args) => execFileSync(process.execPath, ['bin/dfl.js', ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
for (const preset of presets) {
  const started = Date.now();
  dfl('run', '--preset', preset, '--out', results, '--quiet');
  console.error(`${preset}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
const files = readdirSync(results).filter((f) => f.endsWith('.json')).map((f) => path.join(results, f));
process.stdout.write(dfl('report', ...files, '--html', path.join(results, 'report.html'), '--figures', figures));
