import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/dfl';
import { quietly } from '../helpers/cliOutput';
import type { HostMessageInput, WebviewMessage } from '../../core/protocol/messages';
import { phaseDiagram, sweepSummarySchema, type SweepSummary } from '../../core/sweep/phaseDiagram';
import type { LabServer } from '../../lab-server/server';
import { artifact, launch, openLab, SOFTWARE_WEBGL_ARGS, startServer } from './harness';

// The Lab's Sweep view in headless Chromium, on a real sweep folder written by `dfl sweep`
// (depth × init.alpha × target.seed, 18 runs on the exact spectral path): the phase diagram draws
// one cell per grid point with the theory beside it, pickers redraw it (measure, fixed axis, line
// axis, theme), a cell (click or keyboard) asks the host for its run, and the host's loadResult
// of that run file shows it in the Run view. No CSP violation, no page error.

interface LabWindow {
  labHost: {
    send(message: HostMessageInput): void;
    received: WebviewMessage[];
    invalid: string[];
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'dfl-lab-sweep-'));
const out = path.join(dir, 'out');
let summary: SweepSummary;
let server: LabServer;
let browser: Browser;

const sweepSpec = {
  name: 'lab-sweep',
  description: 'Sweep view test: plateau lengths over depth and α; η / bound (4.1) crosses 1 at depth 4.',
  base: { n: 6, depth: 2, target: { kind: 'spectrum', eigenvalues: [3, 1.5, 0.8], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.05, steps: 600, log: { points: 60 } },
  axes: { depth: [2, 3, 4], 'init.alpha': [0.05, 0.1, 0.2], 'target.seed': { seeds: 2, from: 1 } },
};

beforeAll(async () => {
  const file = path.join(dir, 'lab.dfl-sweep.json');
  writeFileSync(file, JSON.stringify(sweepSpec));
  expect(await quietly(() => main(['sweep', file, '--out', out, '--jobs', '1', '--quiet']))).toBe(0);
  summary = sweepSummarySchema.parse(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')));
  server = await startServer();
  browser = await launch(SOFTWARE_WEBGL_ARGS);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const send = (page: Page, message: HostMessageInput) => page.evaluate((m) => (window as unknown as LabWindow).labHost.send(m), message);
const dataset = (page: Page) => page.evaluate(() => ({ body: { ...document.body.dataset }, sweep: { ...document.getElementById('sweep-view')!.dataset } }));
const openRequests = (page: Page) =>
  page.evaluate(() => (window as unknown as LabWindow).labHost.received.filter((m) => m.type === 'openSweepRun').map((m) => (m as Extract<WebviewMessage, { type: 'openSweepRun' }>).file));

/** Picks a value in one of the Sweep view's toolkit dropdowns. */
async function pick(page: Page, id: string, value: string): Promise<void> {
  await page.evaluate(
    ({ id, value }) => {
      const dropdown = document.getElementById(id) as HTMLElement & { value: string };
      if (![...dropdown.querySelectorAll('vscode-option')].some((o) => o.getAttribute('value') === value)) throw new Error(`${id}: no option ${value}`);
      dropdown.value = value;
      dropdown.dispatchEvent(new Event('change'));
    },
    { id, value },
  );
}

/** The drawn cells of the measured heatmap and of the theory's: their fill, size and value. */
function cells(page: Page, which: 'sweep-cells' | 'sweep-theory-cells' = 'sweep-cells') {
  return page.evaluate((which) => {
    return [...document.querySelectorAll<SVGRectElement>(`#sweep-heatmap-body .${which} .sweep-cell > rect`)].map((rect) => {
      const box = rect.getBoundingClientRect();
      const g = rect.parentElement!;
      return { xi: Number(g.dataset.xi), yi: Number(g.dataset.yi), fill: getComputedStyle(rect).fill, value: rect.dataset.value, width: box.width, height: box.height, title: g.querySelector('title')?.textContent ?? '', focusable: g.getAttribute('tabindex') === '0' };
    });
  }, which);
}

const svgText = (page: Page, id: string) => page.evaluate((id) => [...document.querySelectorAll(`#${id} text`)].map((t) => t.textContent ?? '').join('\n'), id);

describe('the Lab Sweep view in headless Chromium', () => {
  it('draws the phase diagram with its theory, redraws on every picker, opens a cell run in the Run view', async () => {
    const { page, violations, errors } = await openLab(browser, server.url, { theme: 'dark' });
    expect((await dataset(page)).body.view).toBe('run');
    expect(await page.locator('#view-tabs').isVisible()).toBe(false);

    await send(page, { type: 'sweep', title: out, summary });
    await page.waitForFunction(() => document.body.dataset.view === 'sweep' && Number(document.getElementById('sweep-view')!.dataset.cells) > 0);
    expect(await page.locator('#run-view').isVisible()).toBe(false);
    expect(await page.locator('#view-tabs').isVisible()).toBe(true);
    const ds = (await dataset(page)).sweep;
    // The default figure: the first two varied axes and the first plateau length.
    expect(ds).toMatchObject({ x: 'depth', y: 'init.alpha', measure: 'measured.L1.length', line: 'init.alpha', cells: '9', theory: 'value' });
    expect(await page.locator('#sweep-counts').textContent()).toContain('18 of 18 runs done');

    // One drawn cell per grid point (3 depths × 3 α), each focusable; those with a value in colour.
    const measured = await cells(page);
    expect(measured).toHaveLength(9);
    for (const c of measured) {
      expect(c.width, 'cell drawn').toBeGreaterThan(20);
      expect(c.height, 'cell drawn').toBeGreaterThan(15);
      expect(c.focusable).toBe(true);
    }
    const expected = phaseDiagram(summary, { x: 'depth', y: 'init.alpha', measure: 'measured.L1.length' });
    const withValue = expected.cells.flat().filter((c) => c.mean !== null).length;
    expect(withValue).toBeGreaterThanOrEqual(3);
    expect(withValue).toBeLessThan(9);
    const coloured = measured.filter((c) => c.value !== 'none');
    expect(coloured).toHaveLength(withValue);
    // The colour scale spreads the values: not one colour for every cell; missing cells hatched.
    expect(new Set(coloured.map((c) => c.fill)).size).toBeGreaterThanOrEqual(3);
    for (const c of measured.filter((m) => m.value === 'none')) expect(c.fill).toMatch(/url\(/);
    const cell = expected.cells[1][1]; // depth 3, α = 0.1
    expect(measured.find((c) => c.xi === 1 && c.yi === 1)!.title).toMatch(new RegExp(`α = 0\\.1, N = 3: mean ${cell.mean}.*n = 2`));
    // The theory beside it: the certified prediction, on the same grid.
    const theory = await cells(page, 'sweep-theory-cells');
    expect(theory).toHaveLength(9);
    expect(theory.filter((c) => c.value !== 'none').length).toBeGreaterThanOrEqual(withValue);
    const heatText = await svgText(page, 'sweep-heatmap');
    // Axes by their names in core's one table; the column's own name beside the measure's.
    for (const name of ['depth N', 'initial scale α', 'measured.L1.length', 'theory: predicted.L1.length', '0.05', '0.2']) expect(heatText).toContain(name);
    // The line plot: one line per α, with axis names.
    expect(await page.locator('#sweep-lines .sweep-line, #sweep-lines circle').count()).toBeGreaterThan(3);
    const lineText = await svgText(page, 'sweep-lines');
    for (const name of ['α = 0.05', 'α = 0.1', 'α = 0.2', 'depth N', 'measured ε-plateau length at L = 1']) expect(lineText).toContain(name);

    // A hovered cell's readout: mean, spread and n.
    await page.locator('#sweep-heatmap-body .sweep-cells .sweep-cell[data-xi="1"][data-yi="1"]').hover();
    expect(await page.locator('#sweep-readout').textContent()).toMatch(/N = 3: mean .*n = 2 .*theory predicted\.L1\.length/);

    await page.screenshot({ path: artifact('lab-sweep.png'), fullPage: true });

    // Divergence: the theory is the contour η / bound (4.1) = 1, which this grid crosses at depth 4.
    await pick(page, 'sweep-measure', 'diverged');
    await page.waitForFunction(() => document.getElementById('sweep-view')!.dataset.measure === 'diverged');
    expect((await dataset(page)).sweep.theory).toBe('contour');
    expect((await dataset(page)).body.sweepMeasure).toBe('diverged');
    expect(await page.locator('#sweep-heatmap-body .sweep-contour').count()).toBeGreaterThan(0);
    expect(await page.locator('#sweep-heatmap-body .sweep-theory-cells').count()).toBe(0);
    expect(await svgText(page, 'sweep-heatmap')).toContain('diverged (fraction of runs)');
    expect((await cells(page)).every((c) => c.value === '0')).toBe(true);
    await page.locator('#sweep-heatmap').screenshot({ path: artifact('lab-sweep-diverged.png') });

    // Another measure redraws the cells with its values.
    await pick(page, 'sweep-measure', 'finalLoss');
    await page.waitForFunction(() => document.getElementById('sweep-view')!.dataset.measure === 'finalLoss');
    expect((await cells(page)).filter((c) => c.value !== 'none')).toHaveLength(9);
    expect(await svgText(page, 'sweep-heatmap')).toContain('finalLoss');

    // Fixing the seed: one run per cell.
    await pick(page, 'sweep-fix-2', JSON.stringify(2));
    await page.waitForFunction(() => document.querySelector('#sweep-heatmap-body .sweep-cell title')?.textContent?.includes('n = 1'));
    expect(await svgText(page, 'sweep-heatmap')).toContain('fixed target seed = 2');
    // Swapping the axes: x takes y's axis and y the old x.
    await pick(page, 'sweep-x', 'init.alpha');
    await page.waitForFunction(() => document.getElementById('sweep-view')!.dataset.x === 'init.alpha');
    expect((await dataset(page)).sweep).toMatchObject({ x: 'init.alpha', y: 'depth', line: 'depth' });
    // The line plot with one line.
    await pick(page, 'sweep-line', '__none__');
    await page.waitForFunction(() => document.getElementById('sweep-view')!.dataset.line === '');
    expect(await svgText(page, 'sweep-lines')).toContain('all runs');

    // Theme-aware: a light theme redraws with dark text.
    const darkText = await page.evaluate(() => document.querySelector('#sweep-heatmap-body text')!.getAttribute('fill'));
    await send(page, { type: 'theme', kind: 'light' });
    await page.waitForFunction((before) => document.querySelector('#sweep-heatmap-body text')!.getAttribute('fill') !== before, darkText);
    await send(page, { type: 'theme', kind: 'dark' });

    // Back to the default figure; a click asks for the cell's first run.
    await pick(page, 'sweep-fix-2', '__all__');
    await pick(page, 'sweep-x', 'depth');
    await pick(page, 'sweep-measure', 'measured.L1.length');
    await page.waitForFunction(() => document.getElementById('sweep-view')!.dataset.measure === 'measured.L1.length' && document.getElementById('sweep-view')!.dataset.x === 'depth');
    await page.locator('#sweep-heatmap-body .sweep-cells .sweep-cell[data-xi="1"][data-yi="1"]').click();
    await page.waitForFunction(() => (window as unknown as LabWindow).labHost.received.some((m) => m.type === 'openSweepRun'));
    expect(await openRequests(page)).toEqual([cell.runs[0].file]);

    // The host answers with the run, replayed into its file as the extension does: the Lab shows it in the Run view.
    expect(await quietly(() => main(['sweep', '--rerun', cell.runs[0].file.slice('run-'.length, -'.json'.length), '--out', out]))).toBe(0);
    const result = JSON.parse(readFileSync(path.join(out, cell.runs[0].file), 'utf8'));
    await send(page, { type: 'loadResult', result });
    await page.waitForFunction(() => document.body.dataset.view === 'run' && document.body.dataset.state === 'done');
    expect(await page.locator('#run-view').isVisible()).toBe(true);
    expect(await page.locator('#sweep-view').isVisible()).toBe(false);
    expect(await page.locator("#summary").textContent()).toContain(`${result.stopped.step} steps`);
    const form = await page.evaluate(() => ['field-depth', 'field-alpha', 'field-steps'].map((id) => (document.getElementById(id) as HTMLElement & { value: string }).value));
    expect(form).toEqual(['3', '0.1', '600']);

    // Back to the sweep by its tab, then the keyboard: focus a cell, arrow right, Enter.
    await page.locator('#tab-sweep').click();
    expect((await dataset(page)).body.view).toBe('sweep');
    await page.locator('#sweep-heatmap-body .sweep-cells .sweep-cell[data-xi="0"][data-yi="1"]').focus();
    expect(await page.locator('#sweep-heatmap-body .sweep-focus').getAttribute('visibility')).toBe('visible');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as LabWindow).labHost.received.filter((m) => m.type === 'openSweepRun').length === 2);
    expect((await openRequests(page))[1]).toBe(cell.runs[0].file);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => (window as unknown as LabWindow).labHost.received.filter((m) => m.type === 'openSweepRun').length === 3);
    expect((await openRequests(page))[2]).toBe(expected.cells[2][1].runs[0].file);

    // A narrow editor column (a panel beside the sweep file): the figures keep a readable width
    // (520 px at least, or their own) and their panel scrolls, instead of shrinking.
    await page.setViewportSize({ width: 460, height: 900 });
    await page.waitForTimeout(100);
    const narrow = await page.evaluate(() => [...document.querySelectorAll('#sweep-view svg.sweep-svg')].map((svg) => ({ shown: svg.getBoundingClientRect().width, own: Number(svg.getAttribute('width')), box: svg.parentElement!.closest('.sweep-panel')!.clientWidth })));
    expect(narrow).toHaveLength(2);
    for (const f of narrow) {
      expect(f.shown).toBeGreaterThanOrEqual(Math.min(f.own, 520) - 1);
      expect(f.box).toBeLessThan(f.shown);
    }

    const invalid = await page.evaluate(() => (window as unknown as LabWindow).labHost.invalid.slice());
    expect(invalid).toEqual([]);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('draws in the light and high-contrast themes', async () => {
    for (const theme of ['light', 'high-contrast'] as const) {
      const { page, violations, errors } = await openLab(browser, server.url, { theme });
      await send(page, { type: 'sweep', title: out, summary });
      await page.waitForFunction(() => Number(document.getElementById('sweep-view')!.dataset.cells) === 9);
      expect((await cells(page)).filter((c) => c.value !== 'none').length).toBeGreaterThanOrEqual(3);
      await page.screenshot({ path: artifact(`lab-sweep-${theme}.png`), fullPage: true });
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
