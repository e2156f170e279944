import { describe, expect, it } from 'vitest';
import type { HostMessageInput, WebviewMessage } from '../../core/protocol/messages';
import { artifact, canvasInk, NO_WEBGL_ARGS, useLabBrowser } from './harness';

// A Chromium without WebGL (--disable-gpu --disable-software-rasterizer): the Lab falls back to
// the CPU backend, says so, and runs the matrix path there.

const labBrowser = useLabBrowser(NO_WEBGL_ARGS);

describe('the Lab without WebGL', () => {
  it('falls back to the CPU backend, shows why, and runs the matrix path there', async () => {
    const { page, violations, errors } = await labBrowser.open({ theme: 'light' });
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('cpu');
    const notice = page.locator('#fallback-notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toMatch(/WebGL.*CPU backend/);
    const ready = await page.evaluate(() => (window as unknown as { labHost: { received: WebviewMessage[] } }).labHost.received.find((m) => m.type === 'ready'));
    expect(ready).toMatchObject({ type: 'ready', backend: 'cpu' });

    const spec: HostMessageInput = {
      type: 'run',
      spec: { n: 12, depth: 3, target: { kind: 'lowRankPlusNoise', rank: 3, noise: 0.05, seed: 4 }, init: { kind: 'gaussian', alpha: 0.1, seed: 2 }, stepSize: 0.01, steps: 600, log: { every: 10 } },
    };
    await page.evaluate((message) => (window as unknown as { labHost: { send(m: HostMessageInput): void } }).labHost.send(message), spec);
    await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error', undefined, { timeout: 90_000 });
    expect(await page.evaluate(() => document.body.dataset.state), (await page.locator('#message').textContent()) ?? '').toBe('done');
    const done = await page.evaluate(() => (window as unknown as { labHost: { received: WebviewMessage[] } }).labHost.received.find((m) => m.type === 'done') as Extract<WebviewMessage, { type: 'done' }>);
    expect(done.result.engine).toEqual({ path: 'matrix', backend: 'cpu', precision: 'float32', blas: 'none (tfjs cpu)', lapack: 'none (TypeScript Householder bidiagonalization)' });
    expect(done.result.groundTruthError?.length).toBe(done.result.steps.length);
    for (const c of await canvasInk(page)) expect(c.ink, `${c.id} has ink`).toBeGreaterThan(0.002 * c.width * c.height);
    expect(await page.evaluate(() => document.body.dataset.backend)).toBe('cpu');
    await page.screenshot({ path: artifact('lab-cpu-fallback-light.png'), fullPage: true });
    expect(await violations()).toEqual([]);
    expect(errors.filter((e) => !/WebGL|webgl/.test(e))).toEqual([]);
    await page.context().close();
  });
});
