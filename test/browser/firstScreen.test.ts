import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPresets } from '../../core/presets';
import { pairPlateaus } from '../../core/plateaus/pairing';
import type { WebviewMessage } from '../../core/protocol/messages';
import { parseRunResult, type RunResult } from '../../core/result';
import type { ExperimentSpec } from '../../core/spec/schema';
import type { LabServer } from '../../lab-server/server';
import { artifact, launch, openLab, SOFTWARE_WEBGL_ARGS, startServer } from './harness';

// The Lab's first screen: it opens on the paper's first experiment (paper-identity-depths,
// N = 3), shows that preset in the picker with its own fields in the form, runs it at once, and
// its plateau table is the one `dfl run --preset` computes; the table is whole at 1024 and
// 1400 px; every preset member the picker offers fills the form with core's spec field for field.

interface LabWindow {
  labHost: { received: WebviewMessage[] };
  dflLab: { formSpec(): ExperimentSpec };
}

let server: LabServer;
let browser: Browser;
/** The CLI's result for paper-identity-depths N = 3 (the real `dfl`, as a user runs it). */
let cli: RunResult;

beforeAll(async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'dfl-first-screen-'));
  execFileSync(process.execPath, ['bin/dfl.js', 'run', '--preset', 'paper-identity-depths', '--out', out, '--quiet'], { stdio: 'pipe' });
  const file = path.join(out, 'paper-identity-depths-n-3.json');
  cli = parseRunResult(JSON.parse(readFileSync(file, 'utf8')), file);
  server = await startServer();
  browser = await launch(SOFTWARE_WEBGL_ARGS);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Waits for the run shown on load; it is not announced to the host (nothing is saved). */
async function waitPreview(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.preview === 'done', undefined, { timeout: 90_000 });
  expect(await page.evaluate(() => document.body.dataset.state)).toBe('idle');
  const types = await page.evaluate(() => (window as unknown as LabWindow).labHost.received.map((m) => m.type));
  expect(types.filter((t) => t === 'done' || t === 'points')).toEqual([]);
}

/** The plateau table's rows as numbers: L, measured [a, b], predicted [a, b], tightness. */
async function tableRows(page: Page): Promise<{ L: number; measured: number[]; predicted: number[]; tightness: number | null }[]> {
  const rows = await page.locator('#plateau-table tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  const interval = (text: string) => (/\[(\d+), (\d+)\]/.exec(text) ?? []).slice(1).map(Number);
  return rows.map(([L, measured, predicted, , tightness]) => ({ L: Number(L), measured: interval(measured), predicted: interval(predicted), tightness: /^\d/.test(tightness) ? Number.parseFloat(tightness) : null }));
}

/** Whether the plateau table fits its box and its last column (tightness) is on screen. */
async function clipping(page: Page): Promise<{ scrollWidth: number; clientWidth: number; lastRight: number; boxRight: number; viewport: number; lastVisible: boolean }> {
  return page.evaluate(() => {
    const table = document.getElementById('plateau-table')!;
    const box = table.parentElement!;
    const headers = [...table.querySelectorAll('th')];
    const last = headers[headers.length - 1];
    const r = last.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      scrollWidth: Math.max(table.scrollWidth, box.scrollWidth),
      clientWidth: box.clientWidth,
      lastRight: r.right,
      boxRight: box.getBoundingClientRect().right,
      viewport: window.innerWidth,
      lastVisible: last.textContent === 'tightness' && (hit === last || last.contains(hit)),
    };
  });
}

describe("the Lab's first screen", () => {
  const expected = listPresets().find((p) => p.name === 'paper-identity-depths')!.specs.find((s) => s.depth === 3)!;

  it("opens on paper-identity-depths N = 3, runs it at once, and its plateau table is dfl run --preset's", async () => {
    const { page, errors, violations } = await openLab(browser, server.url, { width: 1400, height: 1000, autorun: true });
    // What the picker shows and what the form holds are the preset's (core/presets).
    const shown = await page.locator('#preset').evaluate((el) => el.querySelector('vscode-option[selected]')?.textContent ?? (el as HTMLElement & { value: string }).value);
    expect(shown).toBe('paper-identity-depths · N = 3');
    expect(await page.evaluate(() => (window as unknown as LabWindow).dflLab.formSpec())).toEqual(expected);
    expect(await page.locator('#measure').evaluate((el) => (el as HTMLElement & { value: string }).value)).toBe('nuclear');

    // Nobody pressed Run: the page ran what it shows, the CLI's spec.
    await waitPreview(page);
    expect(cli.spec).toEqual(expected);
    const rows = await tableRows(page);
    const pairs = pairPlateaus(cli);
    expect(rows.map((r) => r.L)).toEqual(pairs.map((p) => p.L));
    for (const p of pairs) {
      const row = rows.find((r) => r.L === p.L)!;
      expect(row.measured, `L = ${p.L} measured`).toEqual(p.measured ? [p.measured.start, p.measured.end] : []);
      expect(row.predicted, `L = ${p.L} predicted`).toEqual(p.predicted ? [p.predicted.start, p.predicted.end] : []);
      expect(row.tightness, `L = ${p.L} tightness`).toBe(p.tightness === undefined ? null : Number(p.tightness.toFixed(2)));
    }
    // Run runs the same spec again, live, and this time the host gets the result (and saves it).
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.body.dataset.state === 'done', undefined, { timeout: 90_000 });
    const done = await page.evaluate(() => ((window as unknown as LabWindow).labHost.received.find((m) => m.type === 'done') as Extract<WebviewMessage, { type: 'done' }>).result);
    expect(done.spec).toEqual(cli.spec);
    expect(done.measured.plateaus).toEqual(cli.measured.plateaus);
    await page.screenshot({ path: artifact('first-screen-1400.png') });
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  for (const width of [1024, 1400]) {
    it(`shows the whole plateau table, tightness column included, at ${width} px`, async () => {
      const { page, errors } = await openLab(browser, server.url, { width, height: 900, autorun: true });
      await waitPreview(page);
      const c = await clipping(page);
      expect(c.scrollWidth, JSON.stringify(c)).toBeLessThanOrEqual(c.clientWidth);
      expect(c.lastRight, JSON.stringify(c)).toBeLessThanOrEqual(Math.min(c.boxRight, c.viewport) + 0.5);
      await page.locator('#plateau-table').scrollIntoViewIfNeeded();
      expect((await clipping(page)).lastVisible).toBe(true);
      await page.screenshot({ path: artifact(`first-screen-${width}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it("fills the form with core's spec for every preset member the picker offers", async () => {
    const { page, errors } = await openLab(browser, server.url, { width: 1400, height: 1000 });
    const presets = listPresets();
    const choices = await page.locator('#preset vscode-option').evaluateAll((options) => options.map((o) => ({ value: o.getAttribute('value')!, label: o.textContent ?? '' })));
    expect(choices.filter((c) => c.value !== 'custom')).toHaveLength(presets.reduce((n, p) => n + p.specs.length, 0));
    for (const choice of choices) {
      if (choice.value === 'custom') continue;
      const [i, j] = choice.value.split(':').map(Number);
      expect(choice.label).toBe(`${presets[i].name} · ${presets[i].specs[j].name}`);
      const spec = await page.evaluate((value) => {
        const dropdown = document.getElementById('preset') as HTMLElement & { value: string };
        dropdown.value = value;
        dropdown.dispatchEvent(new Event('change'));
        return (window as unknown as LabWindow).dflLab.formSpec();
      }, choice.value);
      expect(spec, choice.label).toEqual(presets[i].specs[j]);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
