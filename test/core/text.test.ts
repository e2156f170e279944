import { describe, expect, it } from 'vitest';
import { escapeHtml, slug } from '../../core/text';

describe('slug', () => {
  it('lower-cases, joins words with one dash, trims dashes and keeps 60 characters', () => {
    expect(slug('Paper: Identity Depths (N = 3)')).toBe('paper-identity-depths-n-3');
    expect(slug('--ÿ α=0.1 --')).toBe('0-1');
    expect(slug('x'.repeat(80))).toHaveLength(60);
  });

  it('falls back when nothing file-name-safe is left', () => {
    expect(slug('αβγ')).toBe('run');
    expect(slug('', 'sweep')).toBe('sweep');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that end text or a quoted attribute, and nothing else', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a> ‖W‖`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; ‖W‖');
  });
});
