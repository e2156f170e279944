import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../core/engine/runExperiment';
import { runResultSchema } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';
import { ARTIFACTS, clickLens, extensionLog, hostErrors, notifications, openFile, runCommand, start, webviewFrame, type Session } from './codeServer';

// Workspace trust in real VS Code: the folder opens in restricted mode. Its experiment files are
// validated and its saved runs shown, but nothing runs them (no lens, no menu or palette entry,
// and a command that would is refused with one message); trusting the workspace enables them
// without a reload. Claim files run there all the same: a claim runs no workspace code.

const GOOD = JSON.stringify({ name: 'tiny', n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 400 }, null, 2);
const BAD = JSON.stringify({ n: 8, depht: 3, target: { kind: 'spectrum', eigenvalues: [5, 2] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 400 }, null, 2);
const SAVED = '2025-01-01T00-00-00-000Z-saved-earlier.json';
const CLAIM = JSON.stringify(
  {
    name: 'loss-nonnegative',
    kind: 'theorem',
    statement: 'The loss is never negative',
    domain: { base: { depth: 2, target: { kind: 'spectrum', eigenvalues: [2, 1] }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 300, log: { points: 30 } }, generate: { n: { integer: [2, 4] } } },
    expect: 'points.all(i, loss[i] >= 0.0)',
    runs: 3,
  },
  null,
  2,
);

let s: Session;
let runs: string;
const shot = (name: string) => s.page.screenshot({ path: path.join(ARTIFACTS, name) });

beforeAll(async () => {
  const spec = parseSpec({ name: 'saved earlier', n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [10, 6, 3], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.005, steps: 1500, log: { points: 60 } });
  const result = await runExperiment(spec, { yieldToHost: async () => undefined });
  s = await start({ 'experiments/good.dfl.json': GOOD, 'experiments/bad.dfl.json': BAD, 'claims/nonnegative.dfl-claim.json': CLAIM, [`.dfl/runs/${SAVED}`]: JSON.stringify(result) }, {}, { trusted: false });
  runs = path.join(s.workspace, '.dfl', 'runs');
});

afterAll(async () => {
  if (s) {
    await shot('trust-last.png').catch(() => undefined);
    await s.close();
  }
});

/** The rows the command palette lists for `query`. */
async function paletteRows(query: string, tries = 5): Promise<string[]> {
  await s.page.keyboard.press('Escape');
  await s.page.locator('.part.statusbar').click({ position: { x: 700, y: 8 } }).catch(() => undefined);
  await s.page.keyboard.press('F1');
  const input = s.page.locator('.quick-input-widget input:visible').first();
  try {
    await input.fill(`>${query}`, { timeout: 5_000 });
    await s.page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 5_000 });
  } catch (error) {
    // The palette can close again at once (a webview taking the focus back): open it again.
    if (tries <= 1) throw error;
    return paletteRows(query, tries - 1);
  }
  await s.page.waitForTimeout(1_000);
  const rows = await s.page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  await s.page.keyboard.press('Escape');
  return rows;
}

describe('an untrusted workspace', () => {
  it('opens in restricted mode; its experiment files are validated and its saved runs listed and shown', async () => {
    await s.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 60_000 });
    await openFile(s.page, 'bad.dfl.json');
    await s.page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ timeout: 90_000 });

    await s.page.locator('.activitybar .action-label[aria-label*="Deep Factorization Lab"]').first().click();
    await s.page.locator('.pane-body .monaco-list-row', { hasText: 'saved earlier' }).first().click();
    await s.page.locator('.tab', { hasText: 'Lab · saved earlier' }).first().waitFor({ timeout: 60_000 });
    await webviewFrame(s.page, 'body[data-state="done"] #controls', 60_000);
  });

  it('offers no way to run its experiment files, and refuses the one command that could', async () => {
    await openFile(s.page, 'good.dfl.json');
    const lens = s.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration:visible').first();
    await lens.waitFor({ timeout: 60_000 });
    await expect.poll(() => lens.innerText(), { timeout: 30_000 }).toMatch(/Running needs a trusted workspace/);
    expect(await lens.innerText()).not.toMatch(/Run in the Lab/);
    expect(await s.page.locator('.editor-actions [aria-label*="Run Experiment File"]').count()).toBe(0);

    const rows = (await paletteRows('Deep Factorization:')).join('\n');
    expect(rows).toMatch(/Run Preset…/);
    expect(rows).toMatch(/Check Theory/);
    expect(rows).not.toMatch(/Run Experiment File|Load Target Matrix/);

    // Compare Depths stays (it runs presets); on the experiment file it refuses.
    await openFile(s.page, 'good.dfl.json');
    await runCommand(s.page, 'Deep Factorization: Compare Depths…');
    await s.page.locator('.quick-input-list .monaco-list-row', { hasText: 'good.dfl.json' }).first().waitFor();
    await s.page.keyboard.press('Enter');
    await expect.poll(async () => (await notifications(s.page)).join('\n'), { timeout: 30_000 }).toMatch(/Compare Depths on an experiment file needs a trusted workspace/);
    expect((await notifications(s.page)).filter((m) => /trusted workspace/.test(m))).toHaveLength(1);
    expect(readdirSync(runs)).toEqual([SAVED]);
    expect(extensionLog(s)).toMatch(/deepFactorization\.compareDepths refused: Compare Depths on an experiment file needs a trusted workspace/);
    await shot('trust-restricted.png');
    await s.page.locator('.notification-list-item', { hasText: 'trusted workspace' }).first().hover();
    await s.page.locator('.notification-list-item', { hasText: 'trusted workspace' }).locator('.codicon-notifications-clear').first().click().catch(() => undefined);
  });

  it('checks a claim file all the same, from its lens, and lists it in the Test Explorer', async () => {
    await openFile(s.page, 'nonnegative.dfl-claim.json');
    const lens = s.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration:visible').first();
    await lens.waitFor({ timeout: 60_000 });
    await expect.poll(() => lens.innerText(), { timeout: 30_000 }).toMatch(/Check Claim/);
    expect(await lens.innerText()).not.toMatch(/trusted workspace/);
    await clickLens(s.page, 'nonnegative.dfl-claim.json', 'Check Claim');
    await expect.poll(async () => (await notifications(s.page)).join('\n'), { timeout: 120_000 }).toMatch(/the claim loss-nonnegative holds: holds on all 3 cases/);
    expect((await notifications(s.page)).filter((m) => /claim/i.test(m) && /trusted workspace/.test(m))).toHaveLength(0);
    await runCommand(s.page, 'Testing: Focus on Test Explorer View');
    const row = s.page.locator('.test-explorer .monaco-list-row', { hasText: 'loss-nonnegative' }).first();
    await row.locator('.codicon-testing-passed-icon').waitFor({ timeout: 60_000 });
    expect(readdirSync(runs)).toEqual([SAVED]);
    await shot('trust-claim.png');
  });

  it('once trusted (from the lens), the same file runs without a reload', async () => {
    await clickLens(s.page, 'good.dfl.json', 'needs a trusted workspace');
    const trust = s.page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ timeout: 30_000 });
    await trust.click();
    await s.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });

    await clickLens(s.page, 'good.dfl.json', /^\s*Run$/);
    await expect.poll(() => readdirSync(runs).filter((n) => n.endsWith('-tiny.json')).length, { timeout: 120_000, interval: 500 }).toBe(1);
    for (const name of readdirSync(runs)) expect(runResultSchema.safeParse(JSON.parse(readFileSync(path.join(runs, name), 'utf8'))).success, name).toBe(true);
    await s.page.locator('.tab', { hasText: 'Lab · tiny' }).first().waitFor({ timeout: 60_000 });
    expect(extensionLog(s)).toMatch(/the workspace is trusted now/);
    expect(hostErrors(s)).toEqual([]);
  });
});
