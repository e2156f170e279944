import { copyFileSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebviewMessage } from '../../core/protocol/messages';
import type { LabServer } from '../../lab-server/server';
import { artifact, canvasInk, choosePreset, launch, openLab, SOFTWARE_WEBGL_ARGS, startServer } from './harness';

// Screenshots of the Lab in the dark and the light theme after real runs on WebGL: the paper's
// depth-3 spectrum experiment (plateaus, predictions) and its MNIST experiment (heatmaps of a
// digit), each scrubbed to a step inside a low-rank phase. Saved under artifacts/browser; with
// LAB_DOCS_IMAGES=1 (npm run lab:screenshots) also to docs/images/lab-{dark,light}.png. Skipped
// in `npm test` (the MNIST run on SwiftShader takes ~30 s; lab.test.ts covers the same flows).

let server: LabServer;
let browser: Browser;

const enabled = process.env.LAB_DOCS_IMAGES === '1' || process.env.LAB_SCREENSHOTS === '1';

beforeAll(async () => {
  if (!enabled) return;
  server = await startServer();
  browser = await launch(SOFTWARE_WEBGL_ARGS);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function lastDone(page: Page): Promise<Extract<WebviewMessage, { type: 'done' }>> {
  return page.evaluate(() => {
    const received = (window as unknown as { labHost: { received: WebviewMessage[] } }).labHost.received;
    return [...received].reverse().find((m) => m.type === 'done') as Extract<WebviewMessage, { type: 'done' }>;
  });
}

/** Moves the step slider to the logged step nearest `step`. */
async function scrubTo(page: Page, steps: number[], step: number): Promise<void> {
  let index = 0;
  steps.forEach((s, i) => (Math.abs(s - step) < Math.abs(steps[index] - step) ? (index = i) : undefined));
  await page.locator('#step-slider').fill(String(index));
  await page.mouse.move(0, 0);
}

async function save(page: Page, name: string): Promise<void> {
  const file = artifact(name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.LAB_DOCS_IMAGES === '1') {
    mkdirSync('docs/images', { recursive: true });
    copyFileSync(file, `docs/images/${name}`);
  }
}

describe.skipIf(process.env.LAB_DOCS_IMAGES !== '1' && process.env.LAB_SCREENSHOTS !== '1')('screenshots of the Lab', () => {
  it('dark theme: the depth-3 spectrum preset, scrubbed into the rank-2 plateau', async () => {
    const { page, violations, errors } = await openLab(browser, server.url, { theme: 'dark', width: 1560, height: 860, scale: 2 });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.body.dataset.state === 'done', undefined, { timeout: 90_000 });
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('webgl');
    const { result } = await lastDone(page);
    const plateau = result.measured.plateaus.find((p) => p.L === 2) ?? result.measured.plateaus[0];
    await scrubTo(page, result.steps, Math.round((plateau.start + plateau.end) / 2));
    for (const c of await canvasInk(page)) expect(c.ink, c.id).toBeGreaterThan(0);
    await save(page, 'lab-dark.png');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('light theme: the MNIST depth-3 preset (digit from the stand-in host), scrubbed into its low-rank phase', async () => {
    const { page, violations, errors } = await openLab(browser, server.url, { theme: 'light', width: 1560, height: 860, scale: 2 });
    // Pick "paper-mnist-depths · N = 3" in the preset dropdown.
    await choosePreset(page, 'mnist.*N = 3');
    await expect.poll(() => page.evaluate(() => (document.querySelector('#target-kind') as HTMLElement & { value: string }).value)).toBe('mnist');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => document.body.dataset.state), (await page.locator('#message').textContent()) ?? '').toBe('done');
    const { result } = await lastDone(page);
    expect(result.engine).toMatchObject({ path: 'matrix', backend: 'webgl' });
    // Inside the rank-2 plateau: the iterate looks like the best rank-2 approximation of the digit.
    const plateau = result.measured.plateaus.find((p) => p.L === 2) ?? result.measured.plateaus[0];
    await scrubTo(page, result.steps, Math.round((plateau.start + plateau.end) / 2));
    for (const c of await canvasInk(page)) expect(c.ink, c.id).toBeGreaterThan(0);
    await save(page, 'lab-light.png');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
