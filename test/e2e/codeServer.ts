import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

// Starts code-server (VS Code 1.100 in the browser) with the packaged extension installed, in
// throw-away folders, and drives it with Debian's Chromium.

export const ROOT = path.resolve(__dirname, '../..');
const CODE_SERVER = path.join(ROOT, '.e2e-cache/code-server/node_modules/.bin/code-server');
const VSIX = path.join(ROOT, 'deep-factorization-lab.vsix');
export const ARTIFACTS = path.join(ROOT, 'artifacts/e2e');
const CHROMIUM = '/usr/bin/chromium';

export interface Session {
  url: string;
  workspace: string;
  /** VS Code's user data folder (logs/ holds the extension host's and the extension's logs). */
  userData: string;
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

export interface StartOptions {
  /**
   * false: workspace trust on, and the folder opens in restricted mode (no startup prompt).
   * Default true: trust off (--disable-workspace-trust), as most tests need.
   */
  trusted?: boolean;
}

export async function start(files: Record<string, string>, settings: Record<string, unknown>, { trusted = true }: StartOptions = {}): Promise<Session> {
  if (!existsSync(CODE_SERVER)) throw new Error(`code-server is missing: run bash test/e2e/setup.sh (looked for ${CODE_SERVER})`);
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = mkdtempSync(path.join(tmpdir(), 'dfl-e2e-'));
  const dirs = Object.fromEntries(['user', 'extensions', 'config', 'data', 'cache', 'workspace', 'profile'].map((d) => [d, path.join(base, d)]));
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.user, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.user, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'security.workspace.trust.enabled': !trusted, 'security.workspace.trust.startupPrompt': 'never', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'window.restoreWindows': 'all', ...settings }, null, 2),
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
  const server = spawn(CODE_SERVER, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', ...(trusted ? ['--disable-workspace-trust'] : []), dirs.workspace], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => log.push(String(d)));
  server.stderr.on('data', (d) => log.push(String(d)));
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
    userData: dirs.user,
    page,
    context,
    server,
    log,
    async close() {
      await context.close().catch(() => undefined);
      const exited = new Promise((resolve) => (server.exitCode !== null ? resolve(undefined) : server.once('exit', resolve)));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      // Each session installs the extension and writes logs (~40 MB): keep them only on request.
      if (process.env.DFL_E2E_KEEP !== '1') rmSync(base, { recursive: true, force: true, maxRetries: 3 });
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
      // The palette can close again between the two calls (a webview taking the focus back).
      await input.fill(`>${title}`, { timeout: 5_000 });
    } catch {
      continue;
    }
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

/** Opens a workspace file by name (its tab when open, else Quick Open) and focuses it. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Escape');
  const tab = page.locator('.tab', { hasText: name }).first();
  if ((await tab.count()) === 0) {
    // Keys go to a focused webview otherwise.
    await page.locator('.part.statusbar').click({ position: { x: 700, y: 8 } }).catch(() => undefined);
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input:visible').first().fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
  }
  await tab.waitFor({ timeout: 30_000 });
  await tab.click();
  await page.locator('.tab.active', { hasText: name }).first().waitFor({ timeout: 30_000 });
}

/** Opens `file` and clicks its CodeLens whose text contains `lens`. */
export async function clickLens(page: Page, file: string, lens: string | RegExp): Promise<void> {
  await openFile(page, file);
  // The file just opened is in the active group; another group may show a file with the same lens.
  const link = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a:visible', { hasText: lens }).first();
  await link.waitFor({ timeout: 60_000 });
  await link.click();
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

/** Process ids of this session's extension hosts (code-server forks them with --type=extensionHost). */
export function extensionHostPids(s: Session): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
  const ours = new Set([s.server.pid!]);
  for (let grew = true; grew; ) {
    grew = false;
        for (const r of rows) {
      if (ours.has(r.ppid) && !ours.has(r.pid)) {
        ours.add(r.pid);
        grew = true;
      }
    }
  }
  return rows.filter((r) => ours.has(r.pid) && r.args.includes('--type=extensionHost')).map((r) => r.pid);
}

/**
 * Kills the extension host (SIGKILL: no deactivate, a save may be cut anywhere) and waits for the
 * new one VS Code starts by itself. code-server's web workbench has no "Developer: Restart
 * Extension Host" (a desktop command); a remote extension host that dies is restarted instead.
 */
export async function killExtensionHost(s: Session): Promise<void> {
  const [old] = extensionHostPids(s);
  if (!old) throw new Error('no extension host process');
  process.kill(old, 'SIGKILL');
  for (let i = 0; i < 120; i++) {
    await s.page.waitForTimeout(500);
    if (extensionHostPids(s).some((pid) => pid !== old)) return;
  }
  throw new Error('the extension host did not come back');
}

/** Every log file of the session whose name matches `name`, concatenated. */
function logFiles(s: Session, name: RegExp): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (name.test(e.name)) out.push(readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(path.join(s.userData, 'logs'))) walk(path.join(s.userData, 'logs'));
  return out.join('\n');
}

/** The extension's own log (its output channel) across extension hosts. */
export const extensionLog = (s: Session) => logFiles(s, /^Deep Factorization Lab\.log$/);

/** Errors the extension host logged about this extension (uncaught errors, rejected promises). */
export function hostErrors(s: Session): string[] {
  const lines = logFiles(s, /^(remote)?exthost\.log$/).split('\n');
  const errors: string[] = [];
  lines.forEach((line, i) => {
    if (!/\[error\]/.test(line)) return;
    const context = lines.slice(i, i + 8).join('\n');
    if (/deep-factorization|deepFactorization|Webview is disposed/.test(context)) errors.push(context);
  });
  return [...errors, ...extensionLog(s).split('\n').filter((l) => /\[error\]/.test(l))];
}

/** `data-state` of every Lab page (idle, running, done, error). */
export async function labStates(page: Page): Promise<string[]> {
  const states: string[] = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.isDetached()) continue;
    try {
      const state = await frame.evaluate(() => (document.querySelector('#controls') ? document.body.dataset.state : undefined));
      if (state) states.push(state);
    } catch {
      // a frame navigating away
    }
  }
  return states;
}
