import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The dependency directions of docs/architecture.md, checked on every import of the sources:
// core depends on nothing of ours (no native/, no Node built-ins, no vscode) and holds no
// module-level `let`; the webview and the extension depend on core (the webview on nothing that
// needs Node); nothing shipped imports test/.

const ROOT = path.resolve(__dirname, '../..');
const SHIPPED = ['core', 'cli', 'extension', 'webview', 'property-tests', 'native', 'node'];
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Every module specifier a source file imports, re-exports, requires or imports dynamically. */
export function importsOf(source: string): string[] {
  const out: string[] = [];
  const patterns = [/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) out.push(match[1]);
  return out;
}

/** The top folder (of the repository) a relative import of `file` lands in; undefined for packages. */
function targetFolder(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), specifier)).split(/[\\/]/)[0];
}

/** What is wrong with `file` importing `specifier`, or undefined. */
export function violation(file: string, specifier: string): string | undefined {
  const from = file.split('/')[0];
  const to = targetFolder(file, specifier);
  const builtin = NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]);
  if (SHIPPED.includes(from) && to === 'test') return 'shipped code imports test/';
  if (from === 'core') {
    if (to !== undefined && to !== 'core') return `core imports ${to}/`;
    if (builtin) return `core imports the Node built-in ${specifier}`;
    if (specifier === 'vscode') return 'core imports vscode';
  }
  if (from === 'webview') {
    if (to !== undefined && !['core', 'webview'].includes(to)) return `the webview imports ${to}/`;
    if (builtin || specifier === 'vscode') return `the webview imports ${specifier}`;
  }
  if (from === 'extension' && to !== undefined) {
    // The page's HTML template (pure) is shared with the stand-in host.
    const allowed = ['core', 'extension', 'node', 'property-tests'];
    if (!allowed.includes(to) && !(to === 'webview' && specifier.endsWith('/webview/html'))) return `the extension imports ${to}/`;
  }
  return undefined;
}

function sources(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) {
        if (name !== 'node_modules' && name !== 'build') walk(rel);
      } else if (/\.(ts|mts|mjs)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(rel);
    }
  };
  walk(folder);
  return out;
}

describe('dependency directions', () => {
  const files = SHIPPED.flatMap(sources);

  it('the rule catches what it must', () => {
    expect(violation('core/engine/x.ts', '../../native/loader')).toMatch(/core imports native/);
    expect(violation('core/engine/x.ts', 'node:fs')).toMatch(/Node built-in/);
    expect(violation('core/engine/x.ts', 'path')).toMatch(/Node built-in/);
    expect(violation('property-tests/properties/x.ts', '../../test/helpers/specs')).toMatch(/imports test/);
    expect(violation('webview/lab.ts', '../node/platform')).toMatch(/webview imports node/);
    expect(violation('extension/panels/x.ts', '../../webview/lab')).toMatch(/extension imports webview/);
    expect(violation('core/engine/x.ts', '../linalg/dense')).toBeUndefined();
    expect(importsOf("import type { A } from './a';\nexport { b } from \"../b\";\nconst c = require('c');\nawait import('./d');")).toEqual(['./a', '../b', './d', 'c']);
  });

  it('hold for every shipped source file', () => {
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) => importsOf(readFileSync(path.join(ROOT, file), 'utf8')).flatMap((specifier) => {
      const why = violation(file, specifier);
      return why ? [`${file}: ${specifier} (${why})`] : [];
    }));
    expect(found).toEqual([]);
  });

  it('core keeps no module-level mutable state', () => {
    const found = sources('core').filter((file) => /^(export\s+)?(let|var)\s/m.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(found).toEqual([]);
  });
});
