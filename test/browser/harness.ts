import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startLabServer, type LabServer } from '../../lab-server/server';

// Shared by the browser tests: Debian's Chromium (never a download) with software WebGL
// (SwiftShader through ANGLE), or with no GPU at all for the fallback test, and the Lab's
// dev server on an ephemeral 127.0.0.1 port.

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('artifacts/browser');

const COMMON_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--hide-scrollbars', '--font-render-hinting=none'];
/**
 * WebGL2 through SwiftShader (float32 render targets available). 2D canvases stay on the CPU
 * rasterizer: accelerated on SwiftShader, every uPlot line segment would be rasterized by the
 * emulated GPU and the compositor would deliver a frame every ~0.8 s on this 2-core machine.
 */
export const SOFTWARE_WEBGL_ARGS = [...COMMON_ARGS, '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-accelerated-2d-canvas'];
/** A browser without WebGL: the Lab must fall back to the CPU backend. */
export const NO_WEBGL_ARGS = [...COMMON_ARGS, '--disable-gpu', '--disable-software-rasterizer'];

function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's Chromium (apt-get install -y chromium); they never download a browser`);
}

export async function launch(args: string[]): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args, headless: true });
}

export async function startServer(): Promise<LabServer> {
  return startLabServer({ port: 0, distDir: path.resolve('dist/webview') });
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

interface OpenLabOptions {
  theme?: 'dark' | 'light' | 'high-contrast';
  width?: number;
  height?: number;
  scale?: number;
  autorun?: boolean;
}

interface OpenedLab {
  page: Page;
  violations: () => Promise<string[]>;
  errors: string[];
}

/**
 * Opens the Lab and records CSP violations (they reach tests only through this listener). The
 * page runs its default preset on load; tests that drive every run themselves open it with
 * `autorun: false` (the default here), firstScreen.test.ts with `autorun: true`.
 */
export async function openLab(browser: Browser, url: string, options: OpenLabOptions = {}): Promise<OpenedLab> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1500, height: options.height ?? 1000 }, deviceScaleFactor: options.scale ?? 1, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || process.env.LAB_CONSOLE) errors.push(`console.${m.type()}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  await page.goto(`${url}?theme=${options.theme ?? 'dark'}${options.autorun ? '' : '&autorun=0'}`);
  try {
    await page.waitForFunction(() => document.body.dataset.backend !== undefined, undefined, { timeout: 60_000 });
  } catch (error) {
    const probe = await Promise.race([
      page.evaluate(() => `readyState ${document.readyState}, lab ${typeof (window as unknown as { dflLab?: unknown }).dflLab}, state ${document.body?.dataset.state}`),
      new Promise<string>((resolve) => setTimeout(() => resolve('the page does not answer (main thread blocked)'), 5000)),
    ]).catch((e: Error) => e.message);
    throw new Error(`the Lab did not start (${probe}): ${errors.join(' | ') || (error as Error).message}`, { cause: error });
  }
  return {
    page,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.slice()),
  };
}

/**
 * The Lab's dev server and one Chromium (launched with `args`) for the tests of one file: started
 * before its first test, closed after its last. `open` opens a page of the Lab, as openLab does.
 */
export function useLabBrowser(args: string[]): { open(options?: OpenLabOptions): Promise<OpenedLab> } {
  let server: LabServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startServer();
    browser = await launch(args);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    open(options) {
      if (!browser || !server) throw new Error('useLabBrowser: the browser and the server start in beforeAll; open the Lab from a test');
      return openLab(browser, server.url, options);
    },
  };
}

/** Per canvas of the results area: how many pixels are drawn, and how many in saturated colour. */
export interface CanvasInk {
  id: string;
  width: number;
  height: number;
  /** Pixels that differ from the page background (opaque enough to see). */
  ink: number;
  /** Pixels in a saturated colour: series and heatmap cells, not grey axes or grid. */
  colour: number;
}

export async function canvasInk(page: Page): Promise<CanvasInk[]> {
  return page.evaluate(() => {
    const bgText = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#1f1f1f';
    const probe = document.createElement('canvas').getContext('2d')!;
    probe.fillStyle = bgText;
    probe.fillRect(0, 0, 1, 1);
    const [br, bg, bb] = probe.getImageData(0, 0, 1, 1).data;
    return Array.from(document.querySelectorAll<HTMLCanvasElement>('.results canvas')).map((canvas, i) => {
      const figure = canvas.closest('figure, .heat-side');
      const id = canvas.id || `${figure?.id || 'canvas'}#${i}`;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      let colour = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r, g, b, a] = [data[p], data[p + 1], data[p + 2], data[p + 3]];
        if (a < 40) continue;
        if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) < 24) continue;
        ink++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colour++;
      }
      return { id, width: canvas.width, height: canvas.height, ink, colour };
    });
  });
}

/** Picks the first preset whose label matches `pattern` in the Lab's preset dropdown. */
export async function choosePreset(page: Page, pattern: string): Promise<void> {
  await page.evaluate((source) => {
    const dropdown = document.getElementById('preset') as HTMLElement & { value: string };
    const option = [...dropdown.querySelectorAll('vscode-option')].find((o) => new RegExp(source).test(o.textContent ?? ''));
    if (!option) throw new Error(`no preset matching ${source}`);
    dropdown.value = option.getAttribute('value')!;
    dropdown.dispatchEvent(new Event('change'));
  }, pattern);
}
