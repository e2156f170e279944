import { afterEach, describe, expect, it } from 'vitest';
import { HostBridge } from '../../webview/host';
import { startLabServer } from '../../lab-server/server';

// The standalone Lab cannot be framed by another page, and the page obeys messages only from its
// host: the same origin, posted by the page itself (stand-in host) or its parent frame (VS Code).

type Listener = (event: MessageEvent) => void;

function fakeWindow() {
  const listeners: Listener[] = [];
  const parent = {};
  const win = {
    location: { origin: 'http://127.0.0.1:5178' },
    parent,
    addEventListener: (_: string, l: Listener) => listeners.push(l),
    removeEventListener: () => undefined,
  };
  const post = (data: unknown, origin: string, source: unknown) => listeners.forEach((l) => l({ data, origin, source } as unknown as MessageEvent));
  return { win, parent, post };
}

const g = globalThis as { window?: unknown };
afterEach(() => {
  delete g.window;
});

describe('the Lab page and its host', () => {
  it('ignores messages from another origin or another window, obeys its host', () => {
    const { win, parent, post } = fakeWindow();
    g.window = win;
    const received: string[] = [];
    const invalid: string[] = [];
    new HostBridge().listen((m) => received.push(m.type), (r) => invalid.push(r));
    const notice = { type: 'notice', level: 'info', text: 'hello' };
    post(notice, 'http://127.0.0.1:9999', parent); // a page on another port that frames the Lab
    post({ type: 'cancel' }, 'http://evil.example', win);
    post({ type: 'cancel' }, win.location.origin, {}); // same origin, but some other window
    expect(received).toEqual([]);
    expect(invalid).toEqual([]);
    post({ type: 'cancel' }, win.location.origin, win); // the stand-in host
    post({ type: 'pause' }, win.location.origin, parent); // VS Code's outer frame
    expect(received).toEqual(['cancel', 'pause']);
  });

  it('the standalone server forbids framing (frame-ancestors and X-Frame-Options)', async () => {
    // Needs the webview bundle (npm run build; the browser tests' global setup builds it too).
    const server = await startLabServer({ port: 0 });
    try {
      const response = await fetch(server.url);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    } finally {
      await server.close();
    }
  });
});
