import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Tests mirror the sources: every module of core/ with logic has its test beside it under
// test/core/, at the same path (core/theory/flowTime.ts → test/core/theory/flowTime.test.ts), so a
// reader finds a module's test without searching and a module without one shows here.

const ROOT = path.resolve(__dirname, '../..');

/**
 * Modules without logic, which need no test of their own. Each says what it holds; a module that
 * gains a function belongs in the mirror and must leave this list.
 */
const WITHOUT_LOGIC: Record<string, string> = {
  'core/engine/dynamics.ts': 'interfaces of an engine (Dynamics, Observation)',
  'core/linalg/accelerators.ts': 'interfaces of the accelerated routines passed in by adapters',
  'core/targets/target.ts': 'interfaces of a target and its sources',
};

function files(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(path.join(ROOT, d))) {
      const rel = `${d}/${name}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(suffix)) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

/** The test file at the mirrored path of a core module. */
export const mirrorOf = (module: string) => `test/${module.replace(/\.ts$/, '.test.ts')}`;

/** Relative module specifiers a test imports (static, type-only and dynamic imports). */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.[^'"]+)['"]/g)].map((m) => m[1]);
}

/** Whether `testFile` imports `module` (a relative import that resolves to it). */
function imports(testFile: string, module: string): boolean {
  return importsOf(readFileSync(path.join(ROOT, testFile), 'utf8')).some((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const resolved = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, testFile)), specifier)).split(path.sep).join('/');
    return [resolved, `${resolved}.ts`, `${resolved}/index.ts`].includes(module);
  });
}

describe('tests mirror the sources', () => {
  const modules = files('core', '.ts');

  it('the mirror path is the module path under test/', () => {
    expect(mirrorOf('core/theory/flowTime.ts')).toBe('test/core/theory/flowTime.test.ts');
    expect(mirrorOf('core/text.ts')).toBe('test/core/text.test.ts');
  });

  it('every core module with logic has a test at its mirrored path that imports it', () => {
    expect(modules.length).toBeGreaterThan(50);
    const missing = modules.filter((m) => !(m in WITHOUT_LOGIC)).flatMap((m) => {
      const test = mirrorOf(m);
      if (!existsSync(path.join(ROOT, test))) return [`${m}: no ${test}`];
      return imports(test, m) ? [] : [`${m}: ${test} does not import it`];
    });
    expect(missing).toEqual([]);
  });

  it('the list is true: its modules exist and export no function', () => {
    const wrong: string[] = [];
    for (const m of Object.keys(WITHOUT_LOGIC)) {
      if (!modules.includes(m)) wrong.push(`${m} (without logic) does not exist`);
      else if (/^export\s+(async\s+)?function|^export\s+class|^export\s+const\s+\w+\s*=\s*\(/m.test(readFileSync(path.join(ROOT, m), 'utf8'))) wrong.push(`${m} exports logic: give it a mirrored test`);
    }
    expect(wrong).toEqual([]);
  });
});
