import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The import directions of docs/architecture.md are dependency-cruiser rules generated from its
// table (npm run lint; test/lint shows them failing on seeded violations). What an import rule
// cannot see is checked here: core holds no module-level mutable state.

const ROOT = path.resolve(__dirname, '../..');

function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) out.push(rel);
    }
  };
  walk(folder);
  return out;
}

describe('core', () => {
  it('keeps no module-level mutable state', () => {
    const files = sources('core');
    expect(files.length).toBeGreaterThan(50);
    const found = files.filter((file) => /^(export\s+)?(let|var)\s/m.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });
});
