import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExperiment } from '../../core/engine/runExperiment';
import { runResultSchema } from '../../core/result';
import { parseSpec } from '../../core/spec/parseSpec';
import { ARTIFACTS, clickLens, extensionHostPids, extensionLog, hostErrors, killExtensionHost, labStates, notifications, runCommand, start, webviewFrame, type Session } from './codeServer';

// Runs interrupted in real VS Code (code-server 4.100.3): the extension host killed and restarted
// mid-run, the window reloaded mid-run, the Lab's webview reloaded and its panel closed mid-run.
// Each time the history stays whole and listed, nothing reports an error, and the next run works.

/** A host run of ~15 s here (matrix path, tfjs wasm), or minutes in the Lab: always mid-way when interrupted. */
const LONG = JSON.stringify({ name: 'long', n: 40, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2, 1], seed: 1 }, init: { kind: 'gaussian', alpha: 0.1, seed: 1 }, stepSize: 0.01, steps: 10000, engine: 'matrix' });
const TINY = JSON.stringify({ name: 'tiny', n: 8, depth: 3, target: { kind: 'spectrum', eigenvalues: [5, 2], seed: 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.01, steps: 400 });
const SEEDED = [1, 2, 3].map((i) => `2025-01-0${i}T00-00-00-000Z-seed-${i}.json`);

let s: Session;
let runs: string;
/** Uncaught errors of the workbench page and errors logged by the Lab pages. */
const pageErrors: string[] = [];
const shot = (name: string) => s.page.screenshot({ path: path.join(ARTIFACTS, name) });

beforeAll(async () => {
  const files: Record<string, string> = { 'long.dfl.json': LONG, 'tiny.dfl.json': TINY };
  for (const [i, name] of SEEDED.entries()) {
    const spec = parseSpec({ name: `seed ${i + 1}`, n: 6, depth: 3, target: { kind: 'spectrum', eigenvalues: [10, 6, 3], seed: i + 1 }, init: { kind: 'identity', alpha: 0.1 }, stepSize: 0.005, steps: 1500, log: { points: 60 } });
    files[`.dfl/runs/${name}`] = JSON.stringify(await runExperiment(spec, { yieldToHost: async () => undefined }));
  }
  s = await start(files, {});
  runs = path.join(s.workspace, '.dfl', 'runs');
  s.page.on('pageerror', (error) => pageErrors.push(`page: ${error.message}`));
  s.page.on('console', (message) => {
    // A DNS failure is the sandbox's (no network) and not ours: the Lab's CSP admits no remote
    // origin, so a load it made would show as a CSP violation, which the browser tests catch.
    if (message.type() === 'error' && message.page() && /vscode-webview|webview/.test(message.location().url ?? '') && !/^%c|net::ERR_NAME_NOT_RESOLVED/.test(message.text()))
      pageErrors.push(`webview: ${message.text()}`);
  });
});

afterAll(async () => {
  if (s) {
    await shot('interrupt-last.png').catch(() => undefined);
    await s.close();
  }
});

/** The runs folder holds whole results only (no temporary, each parses), `expected` among them. */
function expectWholeHistory(expected: string[]): string[] {
  const names = readdirSync(runs).sort();
  expect(names.filter((n) => n.endsWith('.tmp') || n.startsWith('.'))).toEqual([]);
  for (const name of names) {
    expect(name).toMatch(/\.json$/);
    expect(runResultSchema.safeParse(JSON.parse(readFileSync(path.join(runs, name), 'utf8'))).success, name).toBe(true);
  }
  expect(names).toEqual(expect.arrayContaining(expected));
  return names;
}

/** The side view lists every run labelled in `labels`. */
async function expectListed(labels: string[]): Promise<void> {
  const icon = '.action-label[aria-label*="Deep Factorization Lab"]';
  // After a reload the side bar may show another view: open ours (a click on the open one closes it).
  await s.page.locator(`.activitybar ${icon}`).first().waitFor({ timeout: 60_000 });
  const open = () => s.page.locator('.part.sidebar .title-label', { hasText: /Deep Factorization/i }).first().isVisible();
  for (let i = 0; i < 3 && !(await open()); i++) {
    await s.page.locator(`.activitybar ${icon}`).first().click();
    await s.page.waitForTimeout(1_000);
  }
  try {
    for (const label of labels) await s.page.locator('.pane-body .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await shot('interrupt-not-listed.png');
    throw error;
  }
}

/** No error notification, nothing logged as an error about the extension, no uncaught error. */
async function expectNoErrors(): Promise<void> {
  // Progress notifications ("Deep Factorization: tiny: step 390/400") may still be fading out.
  expect((await notifications(s.page)).filter((m) => /Deep Factorization|error/i.test(m) && !/step \d+\/\d+$/.test(m))).toEqual([]);
  expect(hostErrors(s)).toEqual([]);
  expect(pageErrors).toEqual([]);
}

/** Waits until the status bar shows the host run of `long` past its first step. */
async function longRunGoing(): Promise<void> {
  const item = s.page.locator('.statusbar-item', { hasText: /long [1-9]\d*\/10000/ }).first();
  await item.waitFor({ timeout: 90_000 });
}

/** Runs tiny.dfl.json with a lens ("Run" in the host, "Run in the Lab") and waits for its saved result. */
async function runTiny(lens: RegExp): Promise<string> {
  const before = new Set(readdirSync(runs));
  await clickLens(s.page, 'tiny.dfl.json', lens);
  for (let i = 0; i < 240; i++) {
    const added = readdirSync(runs).filter((n) => !before.has(n) && n.endsWith('-tiny.json'));
    if (added.length) return added[0];
    await s.page.waitForTimeout(500);
  }
  throw new Error('the run of tiny.dfl.json was not saved');
}

describe('a run interrupted in VS Code leaves the history whole and readable', () => {
  it('the extension host is killed mid-run and restarts: no partial result, the left-over temporary is removed, the next run completes', async () => {
    await clickLens(s.page, 'long.dfl.json', /^\s*Run$/);
    await longRunGoing();
    // What a host killed in the middle of a save leaves (dead writer, not renamed).
    const temporary = path.join(runs, `.2025-01-04T00-00-00-000Z-killed.json.${2 ** 22 + 7}.1735948800000.tmp`);
    writeFileSync(temporary, '{"spec": {"name": "half');
    utimesSync(temporary, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

    await killExtensionHost(s);
    await expect.poll(() => readdirSync(runs).includes(path.basename(temporary)), { timeout: 60_000, interval: 500 }).toBe(false);
    expect(expectWholeHistory(SEEDED)).toEqual(SEEDED);
    await expectListed(['seed 1', 'seed 2', 'seed 3']);
    expect(await s.page.locator('.statusbar-item', { hasText: /long \d+\/10000/ }).count()).toBe(0);
    expect(extensionLog(s)).toMatch(/removed 1 temporary file\(s\) left by an interrupted save/);

    const tiny = await runTiny(/^\s*Run$/);
    expect(expectWholeHistory([...SEEDED, tiny])).toHaveLength(4);
    await expectListed(['tiny']);
    await expectNoErrors();
  });

  it('the window reloads mid-run: the stopping host saves nothing, the history comes back listed', async () => {
    const before = readdirSync(runs).sort();
    await clickLens(s.page, 'long.dfl.json', /^\s*Run$/);
    await longRunGoing();
    await runCommand(s.page, 'Developer: Reload Window');
    await s.page.waitForTimeout(3_000);
    await s.page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
    await expectListed(['seed 1', 'seed 2', 'seed 3', 'tiny']);
    // The stopped host is gone (nothing of it can save later) and saved nothing on its way out.
    await expect.poll(() => extensionHostPids(s).length, { timeout: 30_000, interval: 500 }).toBe(1);
    expect(expectWholeHistory(before)).toEqual(before);
    expect(extensionLog(s)).not.toMatch(/long: completed/);
    await expectNoErrors();
  });

  it('Developer: Reload Webviews mid-run in the Lab: a saved run’s panel shows its result again, the status bar lets go of the lost run, the next Lab run is saved', async () => {
    await expectListed(['seed 1']);
    await s.page.locator('.pane-body .monaco-list-row', { hasText: 'seed 1' }).first().click();
    await s.page.locator('.tab', { hasText: 'Lab · seed 1' }).first().waitFor({ timeout: 60_000 });
    await webviewFrame(s.page, 'body[data-state="done"] #controls', 60_000);
    await clickLens(s.page, 'long.dfl.json', 'Run in the Lab');
    await webviewFrame(s.page, 'body[data-state="running"] #controls', 120_000);
    await s.page.locator('.statusbar-item', { hasText: /Lab run/ }).first().waitFor({ timeout: 30_000 });

    await runCommand(s.page, 'Developer: Reload Webviews');
    await expect.poll(() => s.page.locator('.statusbar-item', { hasText: /Lab run/ }).count(), { timeout: 60_000, interval: 500 }).toBe(0);
    await s.page.locator('.tab', { hasText: 'Lab · seed 1' }).first().click();
    // Saved runs' panels came back blank and the host sent their results again; the scratch Lab is idle.
    const runPanels = await s.page.locator('.tab', { hasText: 'Lab · ' }).count();
    expect(runPanels).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await labStates(s.page)).sort(), { timeout: 60_000, interval: 500 }).toEqual([...Array<string>(runPanels).fill('done'), 'idle']);
    await shot('interrupt-webview-reload.png');

    const before = readdirSync(runs).length;
    await runTiny(/Run in the Lab/);
    expect(expectWholeHistory(SEEDED)).toHaveLength(before + 1);
    await expectNoErrors();
  });

  it('the Lab panel is closed mid-run: nothing is saved or left behind, closing a saved run’s panel is quiet, the next Lab run is saved', async () => {
    const before = readdirSync(runs).sort();
    await clickLens(s.page, 'long.dfl.json', 'Run in the Lab');
    await webviewFrame(s.page, 'body[data-state="running"] #controls', 120_000);
    await s.page.locator('.statusbar-item', { hasText: /Lab run/ }).first().waitFor({ timeout: 30_000 });
    for (const title of ['Deep Factorization Lab', 'Lab · seed 1']) {
      const tab = s.page.locator('.tab', { hasText: title }).first();
      await tab.click();
      await tab.locator('.codicon-close').click();
      await expect.poll(() => s.page.locator('.tab', { hasText: title }).count(), { timeout: 30_000 }).toBe(0);
    }
    expect(await s.page.locator('.statusbar-item', { hasText: /Lab run/ }).count()).toBe(0);
    await s.page.waitForTimeout(2_000);
    expect(expectWholeHistory(before)).toEqual(before);

    await runTiny(/Run in the Lab/);
    expect(expectWholeHistory(before)).toHaveLength(before.length + 1);
    await expectNoErrors();
  });
});
