import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../lab-server/server';

// `npm run lab:serve`'s server answers only requests addressed to it by its own names (a DNS
// rebinding page sends another Host), takes only known themes, and serves only the page's files.

let server: LabServer;
let port = 0;
beforeAll(async () => {
  // Needs the webview bundle (npm run build; the browser tests' global setup builds it too).
  server = await startLabServer({ port: 0 });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

/** GET `pathname` with the given Host header: status and body. */
function get(pathname: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const themeClass = (html: string) => /<body[^>]*class="([^"]*)"/.exec(html)?.[1] ?? /class="(vscode-[^"]*)"/.exec(html)?.[1];

describe('the standalone Lab server', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'nonsense'])('?theme=%s: the default theme, no code in the page', async (theme) => {
    const { status, body } = await get(`/?theme=${theme}`);
    expect(status).toBe(200);
    expect(body).not.toMatch(/native code|function /);
    expect(themeClass(body)).toContain('vscode-dark');
  });

  it.each([
    ['light', 'vscode-light'],
    ['high-contrast', 'vscode-high-contrast'],
  ])('?theme=%s is still served', async (theme, expected) => {
    expect(themeClass((await get(`/?theme=${theme}`)).body)).toContain(expected);
  });

  it.each(['attacker.example', 'attacker.example:PORT', '127.0.0.1', '127.0.0.2:PORT', 'localhost.attacker.example:PORT', '127.0.0.1:1'])('Host %s: forbidden', async (host) => {
    const named = host.replace('PORT', String(port));
    expect((await get('/', named)).status).toBe(403);
    expect((await get('/static/lab.js', named)).status).toBe(403);
  });

  it('its own names are served', async () => {
    expect((await get('/', `localhost:${port}`)).status).toBe(200);
    expect((await get('/', `127.0.0.1:${port}`)).status).toBe(200);
  });

  it.each(['meta.json', 'report.js', 'bench.js', 'lab.js.LEGAL.txt'])('/static/%s: not served (not a file of the page)', async (name) => {
    expect((await get(`/static/${name}`)).status).toBe(404);
  });

  it.each(['lab.js', 'lab.css', 'standalone.js', 'standalone.css'])('/static/%s: served', async (name) => {
    expect((await get(`/static/${name}`)).status).toBe(200);
  });
});
