// The browser benchmark: serves dist/webview/bench.js (bench/browser/main.ts) on
// an ephemeral 127.0.0.1 port, opens it in Debian's Chromium (headless, never a download) with the
// browser tests' software-WebGL flags, waits for the page's results and prints them.
//
//   node bench/browser.mjs            table on stdout (progress on stderr)
//   node bench/browser.mjs --json     only the JSON on stdout
//   node bench/browser.mjs --smoke    tiny sizes (the output contract test)
//
// `npm run bench:browser` builds first. SwiftShader is a CPU emulation of a GPU: the WebGL figures
// say what the Lab does in a browser without a GPU, not what a GPU does.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist/webview');
const CHROMIUM = '/usr/bin/chromium';
// The same as SOFTWARE_WEBGL_ARGS of test/browser/harness.ts: WebGL2 through SwiftShader (ANGLE),
// 2D canvases on the CPU rasterizer.
const ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--hide-scrollbars',
  '--font-render-hinting=none',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-accelerated-2d-canvas',
];
const SWIFTSHADER_NOTE =
  'WebGL runs on SwiftShader, a CPU emulation of a GPU (headless Chromium, no GPU): the webgl figures are not GPU numbers.';

const { values: opts } = parseArgs({ options: { json: { type: 'boolean' }, smoke: { type: 'boolean' }, timeout: { type: 'string' } } });
const timeoutMs = Number(opts.timeout ?? (opts.smoke ? 120 : 900)) * 1000;
const log = (text) => process.stderr.write(`${text}\n`);

for (const name of ['bench.js', 'bench.css'])
  if (!existsSync(path.join(dist, name))) {
    log(`${path.join(dist, name)} is missing: run node scripts/build.mjs (npm run bench:browser does)`);
    process.exit(2);
  }
if (!existsSync(CHROMIUM)) {
  log(`${CHROMIUM} is missing: the browser benchmark needs Debian's Chromium (apt-get install -y chromium)`);
  process.exit(2);
}

const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deep Factorization Lab — browser benchmark</title>
<link rel="stylesheet" href="/static/bench.css"></head>
<body><script src="/static/bench.js"></script></body></html>`;
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const send = (status, type, body) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };
  if (req.method !== 'GET') return send(405, 'text/plain', 'method not allowed');
  if (url.pathname === '/' || url.pathname === '/bench') return send(200, 'text/html; charset=utf-8', HTML);
  const m = /^\/static\/(bench\.(?:js|css))$/.exec(url.pathname);
  if (m) return send(200, TYPES[path.extname(m[1])], readFileSync(path.join(dist, m[1])));
  if (url.pathname === '/favicon.ico') return send(204, 'text/plain', '');
  return send(404, 'text/plain', 'not found');
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(0, '127.0.0.1', resolve);
});
const url = `http://127.0.0.1:${server.address().port}/bench${opts.smoke ? '?smoke=1' : ''}`;

let result;
const errors = [];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console.error: ${m.text()}`));
  log(`browser benchmark${opts.smoke ? ' (smoke)' : ''}: ${url} in ${CHROMIUM} (${browser.version()}), SwiftShader WebGL`);
  await page.goto(url);
  let last = '';
  const progress = setInterval(() => {
    page
      .evaluate(() => document.getElementById('bench-status')?.textContent ?? '')
      .then((s) => {
        if (s && s !== last) log(`  ${(last = s)}`);
      })
      .catch(() => {});
  }, 1000);
  try {
    await page.waitForFunction(() => ['done', 'error'].includes(document.body?.dataset.state ?? ''), undefined, { timeout: timeoutMs, polling: 250 });
  } finally {
    clearInterval(progress);
  }
  result = await page.evaluate(() => window.dflBench);
  result = { ...result, chromium: browser.version(), note: SWIFTSHADER_NOTE };
} catch (error) {
  log(`the benchmark page did not finish: ${error.message}${errors.length ? `\n  ${errors.join('\n  ')}` : ''}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}

if (result?.error) {
  log(`the benchmark page failed: ${result.error}${errors.length ? `\n  ${errors.join('\n  ')}` : ''}`);
  process.exitCode = 1;
} else if (result) {
  if (errors.length) log(`page errors:\n  ${errors.join('\n  ')}`);
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(formatTable(result));
}

function fmt(x) {
  if (!Number.isFinite(x)) return '—';
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toPrecision(3);
}

function formatTable(r) {
  const sizes = [...new Set(r.matrix.map((m) => m.n))];
  const backends = [...new Set(r.matrix.map((m) => m.backend))];
  const pad = (cells, widths) => `| ${cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  const grid = (head, rows) => {
    const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((row) => String(row[i]).length)));
    const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
    return [pad(head, widths), rule, ...rows.map((row) => pad(row, widths))].join('\n');
  };
  const matrixRows = [
    ...backends.map((b) => [`tfjs ${b}${b === 'webgl' ? ' (SwiftShader)' : ''}`, ...sizes.map((n) => fmt(r.matrix.find((m) => m.backend === b && m.n === n)?.stepsPerSecond))]),
    ...(backends.length > 1 ? [[`ratio ${r.backend.selected} / cpu`, ...sizes.map((n) => `${fmt(r.ratios.find((x) => x.n === n)?.ratioToCpu)}×`)]] : []),
    ...backends.map((b) => [`GFLOP/s ${b}`, ...sizes.map((n) => fmt(r.matrix.find((m) => m.backend === b && m.n === n)?.gflops))]),
  ];
  const p = r.plots;
  const lines = [
    `Browser benchmark (${r.mode}), Chromium ${r.chromium}, headless`,
    `Backend: ${r.backend.selected}${r.backend.fallback ? ` — ${r.backend.fallback}` : ''}; WebGL renderer: ${r.backend.renderer ?? 'none'}`,
    `NOTE: ${r.note}`,
    '',
    `Matrix path: gradient-descent steps per second, N = ${r.matrix[0]?.depth}, float32 (median of ${r.matrix[0]?.windows} windows)`,
    '',
    grid(['backend', ...sizes.map((n) => `n = ${n}`)], matrixRows),
    '',
    `A sweep of small runs (tfjs batched kernel, core/engine/tfjsBatchKernel.ts): runs per second, batched against one at a time on the same backend`,
    '',
    grid(
      ['backend', 'runs × steps', 'batched', 'one at a time', 'ratio', 'worst |Δσ| / tolerance (Prop. 7.2)'],
      (r.batch ?? []).map((b) => [`tfjs ${b.backend}`, `${b.members} × ${b.steps}`, fmt(b.batchedRunsPerSecond), `${fmt(b.singleRunsPerSecond)} (${b.singleRuns} runs)`, `${fmt(b.ratio)}×`, b.worstToleranceRatio.toPrecision(2)]),
    ),
    '',
    `Plots (LabCharts, 4 uPlot charts, ${p.plotWidthPx} px wide): ${p.series} singular-value series × ${p.points.toLocaleString('en-US')} points, ${p.drawnPointsPerSeries} drawn per series after thinning; ms, median`,
    '',
    grid(
      ['draw', 'total ms', 'script ms', 'runs'],
      [
        ['first draw (reset: build 4 charts)', fmt(p.firstDrawMs), '', 1],
        ['full redraw (redrawNow(true))', fmt(p.fullRedraw.medianMs), fmt(p.fullRedraw.scriptMedianMs), p.fullRedraw.runs],
        [`incremental (+${p.appended} points, redrawNow())`, fmt(p.incremental.medianMs), fmt(p.incremental.scriptMedianMs), p.incremental.runs],
      ],
    ),
    '',
    `total ${r.totalSeconds.toFixed(1)} s in the page`,
    '',
  ];
  return lines.join('\n');
}
