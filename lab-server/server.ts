import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { labContentSecurityPolicy, renderLabHtml, type LabHtmlOptions } from '../webview/html';

// The dev server of standalone mode: serves the Lab page (rendered by the same renderLabHtml as
// the extension host) with the stand-in host, the bundles from dist/webview, and MNIST digits.
// Binds to 127.0.0.1 only. Used by `npm run lab:serve` and by the browser tests.

export interface LabServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Folder with lab.js, lab.css, standalone.js, standalone.css (default dist/webview). */
  distDir?: string;
}

export interface LabServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const THEMES: Record<string, NonNullable<LabHtmlOptions['themeClass']>> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  'high-contrast': 'vscode-high-contrast',
};

/** The files the page loads (and their source maps, which the browser's developer tools ask for). */
const STATIC_FILES = new Set(['lab.js', 'lab.css', 'standalone.js', 'standalone.css'].flatMap((f) => [f, `${f}.map`]));

/** The theme class for `?theme=`: only the names above (`constructor` or `__proto__` is not a theme). */
function themeClass(name: string | null): NonNullable<LabHtmlOptions['themeClass']> {
  return name !== null && Object.hasOwn(THEMES, name) ? THEMES[name] : THEMES.dark;
}

const require_ = createRequire(__filename);
const digits = new Map<number, number[]>();

/** One MNIST digit as 28 rows of 28 values in [0, 1] (from the `mnist` package). */
function mnistRows(digit: number, index: number): number[][] {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) throw new Error(`digit must be 0…9 (got ${digit})`);
  let data = digits.get(digit);
  if (!data) {
    data = (require_(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    digits.set(digit, data);
  }
  const count = Math.floor(data.length / 784);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`digit ${digit} has ${count} samples (got index ${index})`);
  return Array.from({ length: 28 }, (_, r) => data!.slice(index * 784 + r * 28, index * 784 + (r + 1) * 28));
}

export async function startLabServer(options: LabServerOptions = {}): Promise<LabServer> {
  const distDir = path.resolve(options.distDir ?? 'dist/webview');
  if (!existsSync(path.join(distDir, 'lab.js'))) throw new Error(`${distDir}/lab.js is missing: run npm run build first`);
  let origin = '';
  let allowedHosts = new Set<string>();

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    // No page of another origin may frame the Lab (it could post it messages): the header form of
    // CSP (a meta tag cannot carry frame-ancestors) and X-Frame-Options for older browsers.
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', ...headers });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // A page on another site can point its own name at 127.0.0.1 (DNS rebinding) and then read
    // this server as same-origin: only requests addressed to this server by its own names pass.
    if (!allowedHosts.has(req.headers.host ?? '')) return send(res, 403, 'text/plain', 'forbidden: unknown Host');
    const url = new URL(req.url ?? '/', origin);
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const nonce = randomBytes(18).toString('base64');
      const html = {
        cspSource: origin,
        nonce,
        scriptUri: '/static/lab.js',
        styleUri: '/static/lab.css',
        extraScriptUris: ['/static/standalone.js'],
        extraStyleUris: ['/static/standalone.css'],
        connectSrc: "'self'",
        themeClass: themeClass(url.searchParams.get('theme')),
        title: 'Deep Factorization Lab (standalone)',
      } satisfies LabHtmlOptions;
      return send(res, 200, 'text/html; charset=utf-8', renderLabHtml(html), { 'Content-Security-Policy': `${labContentSecurityPolicy(html)}; frame-ancestors 'none'` });
    }
    if (url.pathname.startsWith('/static/')) {
      const name = url.pathname.slice('/static/'.length);
      if (!STATIC_FILES.has(name)) return send(res, 404, 'text/plain', 'not found');
      const file = path.join(distDir, name);
      if (!existsSync(file)) return send(res, 404, 'text/plain', 'not found');
      return send(res, 200, TYPES[path.extname(name)] ?? 'application/octet-stream', readFileSync(file));
    }
    if (url.pathname === '/api/mnist') {
      try {
        const rows = mnistRows(Number(url.searchParams.get('digit')), Number(url.searchParams.get('index')));
        return send(res, 200, 'application/json', JSON.stringify(rows));
      } catch (error) {
        return send(res, 400, 'text/plain', (error as Error).message);
      }
    }
    if (url.pathname === '/favicon.ico') return send(res, 204, 'text/plain', '');
    return send(res, 404, 'text/plain', 'not found');
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      send(res, 500, 'text/plain', (error as Error).message);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `${origin}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
