import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { HostMessageInput, RunMark, WebviewMessage } from '../../core/protocol/messages';
import type { ExperimentSpecInput } from '../../core/spec/schema';
import { artifact, SOFTWARE_WEBGL_ARGS, useLabBrowser } from './harness';

// A run the host opens with a mark (a claim's counterexample): the marked step is a vertical
// line in the failure colour on every plot, an interval of steps a band in it; the status line
// says what is false; the next run without a mark clears it. Read from the loss plot's pixels,
// whose series (the orange accent) is far from the failure red.

interface LabWindow {
  labHost: { send(message: HostMessageInput): void; received: WebviewMessage[]; next(type: string, after?: number): Promise<WebviewMessage> };
}

/** A spectral run (exact path, under a second). */
const SPEC: ExperimentSpecInput = { name: 'marked', n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [4, 2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 800, log: { points: 80 } };

const labBrowser = useLabBrowser(SOFTWARE_WEBGL_ARGS);

async function runWithMark(page: Page, mark?: RunMark): Promise<void> {
  await page.evaluate(
    async ({ spec, mark }) => {
      const host = (window as unknown as LabWindow).labHost;
      const before = host.received.length;
      host.send({ type: 'run', spec, backend: 'cpu', ...(mark ? { mark } : {}) });
      await host.next('done', before);
    },
    { spec: SPEC, mark },
  );
  // Drawn at most once per frame after the last point.
  await page.waitForTimeout(300);
}

/**
 * Per pixel column of the loss plot at the given steps: the fraction of the plotting area's
 * height in a red that dominates (the failure colour, opaque or blended into the background).
 */
function redColumns(page: Page, steps: number[]): Promise<number[]> {
  return page.evaluate((steps) => {
    const lab = (window as unknown as { dflLab: { charts: { plots(): Map<string, { valToPos(v: number, scale: string, canvas: boolean): number; bbox: { top: number; height: number }; ctx: CanvasRenderingContext2D }> } } }).dflLab;
    const plot = lab.charts.plots().get('loss')!;
    const { top, height } = plot.bbox;
    return steps.map((step) => {
      const x = Math.round(plot.valToPos(step, 'x', true));
      const data = plot.ctx.getImageData(x, Math.round(top), 1, Math.round(height)).data;
      let red = 0;
      for (let p = 0; p < data.length; p += 4) if (data[p] > 60 && data[p] - data[p + 1] > 25 && data[p] - data[p + 2] > 25 && data[p + 1] < 120) red++;
      return red / (data.length / 4);
    });
  }, steps);
}

describe('the mark of a counterexample on the Lab plots', () => {
  it('draws a marked step as a line and a marked interval as a band, says what is false, and the next run clears it', async () => {
    const { page, errors, violations } = await labBrowser.open({ theme: 'dark' });

    await runWithMark(page, { step: 400, label: 'loss(k) ≤ 0.1 is false at k = 400: 2.3 > 0.1' });
    expect(await page.evaluate(() => document.body.dataset.mark)).toBe('step 400');
    expect(await page.locator('#message').textContent()).toContain('loss(k) ≤ 0.1 is false at k = 400: 2.3 > 0.1 (marked on the plots: step 400)');
    const [atStep, before, after] = await redColumns(page, [400, 200, 600]);
    expect(atStep, 'the marked column is red over most of the plot').toBeGreaterThan(0.8);
    expect(before).toBeLessThan(0.05);
    expect(after).toBeLessThan(0.05);
    await page.screenshot({ path: artifact('lab-mark-step.png') });

    await runWithMark(page, { steps: [300, 500], label: 'a plateau too long' });
    expect(await page.evaluate(() => document.body.dataset.mark)).toBe('steps 300-500');
    const band = await redColumns(page, [320, 400, 480, 200, 700]);
    for (const inside of band.slice(0, 3)) expect(inside, 'inside the band').toBeGreaterThan(0.8);
    for (const outside of band.slice(3)) expect(outside, 'outside the band').toBeLessThan(0.05);
    await page.screenshot({ path: artifact('lab-mark-band.png') });

    await runWithMark(page);
    expect(await page.evaluate(() => document.body.dataset.mark)).toBeUndefined();
    for (const column of await redColumns(page, [320, 400, 480])) expect(column).toBeLessThan(0.05);

    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
