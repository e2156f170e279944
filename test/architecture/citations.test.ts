import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Code cites docs/theory.md by number; a result renumbered or retired there must not live on in
// a label or a comment.

const root = path.join(__dirname, '..', '..');
const KINDS = 'Theorem|Lemma|Proposition|Corollary|Definition|Remark';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(ts|mjs)$/.test(name) ? [file] : [];
  });
}

describe('citations of docs/theory.md', () => {
  const theory = readFileSync(path.join(root, 'docs', 'theory.md'), 'utf8');
  const stated = new Set([...theory.matchAll(new RegExp(`\\*\\*(${KINDS}) (\\d+\\.\\d+)`, 'g'))].map((m) => `${m[1]} ${m[2]}`));

  it('finds the numbered results of docs/theory.md', () => {
    expect(stated.has('Theorem 5.10')).toBe(true);
    expect(stated.has('Theorem 5.4')).toBe(false);
  });

  it('every cited result in core/, webview/, cli/, extension/ and property-tests/ is stated there', () => {
    const wrong: string[] = [];
    for (const dir of ['core', 'webview', 'cli', 'extension', 'property-tests', 'scripts'])
      for (const file of sources(path.join(root, dir)))
        for (const m of readFileSync(file, 'utf8').matchAll(new RegExp(`\\b(${KINDS})s? (\\d+\\.\\d+)`, 'g')))
          if (!stated.has(`${m[1]} ${m[2]}`)) wrong.push(`${path.relative(root, file)}: ${m[0]}`);
    expect(wrong).toEqual([]);
  });
});
