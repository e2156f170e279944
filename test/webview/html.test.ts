import { describe, expect, it } from 'vitest';
import { labContentSecurityPolicy, renderLabHtml } from '../../webview/html';

const options = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'abc123XYZ+/=', scriptUri: 'https://x/lab.js', styleUri: 'https://x/lab.css' };

describe('renderLabHtml', () => {
  it('has a strict CSP: nothing inline, nothing evaluated, no network', () => {
    const csp = labContentSecurityPolicy(options);
    expect(csp).toBe(
      "default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net data: blob:; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-abc123XYZ+/='; " +
        "script-src 'nonce-abc123XYZ+/=' 'wasm-unsafe-eval'; font-src https://file+.vscode-resource.vscode-cdn.net; connect-src 'none'",
    );
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'/);
  });

  it('loads every script and stylesheet with the nonce, and exposes it to FAST', () => {
    const html = renderLabHtml({ ...options, extraScriptUris: ['https://x/standalone.js'] });
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(2);
    for (const s of scripts) expect(s).toContain('nonce="abc123XYZ+/="');
    expect(html).not.toMatch(/<script(?![^>]*src=)[^>]*>/);
    expect(html).not.toMatch(/ style="/);
    expect(html).toContain('<meta property="csp-nonce" content="abc123XYZ+/=">');
    expect(html).toContain('data-state="idle"');
  });

  it('refuses a nonce or source that could break out of the policy', () => {
    expect(() => renderLabHtml({ ...options, nonce: "a' 'unsafe-inline" })).toThrow(/invalid nonce/);
    expect(() => renderLabHtml({ ...options, cspSource: 'https://x; script-src *' })).toThrow(/invalid cspSource/);
  });

  it('escapes attributes', () => {
    expect(renderLabHtml({ ...options, scriptUri: 'https://x/a.js?q="><script>' })).toContain('src="https://x/a.js?q=&quot;&gt;&lt;script&gt;"');
  });
});
