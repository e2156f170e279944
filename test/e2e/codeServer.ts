import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

// Starts code-server (VS Code 1.100 in the browser) with the packaged extension installed, in
// throw-away folders, and drives it with Debian's Chromium.

export const ROOT = path.resolve(__dirname, '../..');
export const CODE_SERVER = path.join(ROOT, '.e2e-cache/code-server/node_modules/.bin/code-server');
export const VSIX = path.join(ROOT, 'deep-factorization-lab.vsix');
export const ARTIFACTS = path.join(ROOT, 'artifacts/e2e');
const CHROMIUM = '/usr/bin/chromium';

export interface Session {
  url: string;
  workspace: string;
  page: Page;
  context: BrowserContext;
  server: ChildProcess;
  log: string[];
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function start(files: Record<string, string>, settings: Record<string, unknown>): Promise<Session> {
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is missing: run bash test/e2e/setup.sh (looked for ${CODE_SERVER})`);
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = mkdtempSync(path.join(tmpdir(), 'dfl-e2e-'));
  const dirs = Object.fromEntries(['user', 'extensions', 'config', 'data', 'cache', 'workspace', 'profile'].map((d) => [d, path.join(base, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.user, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'window.restoreWindows': 'all', ...settings }, null, 2),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dirs.workspace, name)), { recursive: true });
    writeFileSync(path.join(dirs.workspace, name), text);
  }
  const env = { ...process.env, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, XDG_CACHE_HOME: dirs.cache, HOME: base };
  const common = ['--user-data-dir', dirs.user, '--extensions-dir', dirs.extensions];
  const install = spawnSync(CODE_SERVER, [...common, '--install-extension', VSIX], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`code-server --install-extension failed: ${install.stdout}${install.stderr}`);
  const port = await freePort();
  const log: string[] = [];
  const server = spawn(CODE_SERVER, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', dirs.workspace], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d) => log.push(String(d)));
  server.stderr!.on('data', (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 120) throw new Error(`code-server did not start: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const context = await chromium.launchPersistentContext(dirs.profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 120_000 });
  return {
    url,
    workspace: dirs.workspace,
    page,
    context,
    server,
    log,
    async close() {
      await context.close().catch(() => undefined);
      server.kill('SIGTERM');
    },
  };
}

/** Runs a command from the palette; retries while the extension host is still starting. */
export async function runCommand(page: Page, title: string, tries = 20): Promise<void> {
  for (let i = 0; i < tries; i++) {
    await page.keyboard.press('Escape');
    // Webviews (iframes) may hold the focus: give it back to the workbench first.
    if (i > 0 || (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME'))) await page.locator('.part.statusbar').click({ position: { x: 700, y: 8 } }).catch(() => undefined);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input:visible').first();
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 });
    } catch {
      continue;
    }
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      await input.press('Enter');
      return;
    } catch {
      await page.waitForTimeout(1_000);
    }
  }
  throw new Error(`the palette never listed "${title}"`);
}

/** The inner frame of the webview whose document matches `selector`. */
export async function webviewFrame(page: Page, selector: string, timeout = 60_000): Promise<Frame> {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // a frame navigating away
      }
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`no webview frame with ${selector}`);
}

export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notification-list-item-message').allInnerTexts();
}
