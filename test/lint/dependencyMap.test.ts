import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the lint script, without type declarations
import { forbiddenRules, parseMap, readMap } from '../../scripts/lint/dependencyMap.mjs';

// The rules are generated from docs/architecture.md's table; a table they cannot be generated
// from fails the lint instead of enforcing less.

interface Row {
  folder: string;
  mayImport: string[];
  anything: boolean;
  node: boolean;
  vscode: boolean;
}
interface Rule {
  name: string;
  from: { path: string; pathNot?: string };
  to: { path?: string; pathNot?: string; circular?: boolean; dependencyTypes?: string[] };
}
const ROOT = path.resolve(__dirname, '../..');
const table = (rows: string) => `## Folders and who may import whom\n\n| folder | what | may import | Node, vscode |\n|---|---|---|---|\n${rows}\n`;

describe('the dependency map of docs/architecture.md', () => {
  const rows = readMap(ROOT) as Row[];

  it('has a row for every shipped folder, the compute bundle included', () => {
    expect(rows.map((r) => r.folder)).toEqual(expect.arrayContaining(['core/', 'compute/', 'cli/', 'node/', 'native/', 'extension/', 'webview/', 'property-tests/', 'lab-server/', 'bench/', 'test/']));
    const cli = rows.find((r) => r.folder === 'cli/');
    expect(cli?.mayImport).not.toContain('extension/');
    expect(cli?.mayImport).not.toContain('native/');
  });

  it('becomes one import rule per row (test/ may import anything), Node and vscode rules, and no cycles', () => {
    const rules = forbiddenRules(rows) as Rule[];
    const mapRules = rules.filter((r) => /^map: [^ ]+$/.test(r.name)).map((r) => r.name);
    expect(mapRules).toEqual(rows.filter((r) => !r.anything).map((r) => `map: ${r.folder}`));
    expect(rules.find((r) => r.name === 'map: core/ no Node')?.to.dependencyTypes).toEqual(['core']);
    expect(rules.some((r) => r.name === 'map: extension/ no vscode')).toBe(false);
    expect(rules.at(-1)?.to.circular).toBe(true);
    // A nested row's files follow their own row, not their parent's.
    expect(rules.find((r) => r.name === 'map: bench/')?.from.pathNot).toContain('^bench/browser/');
  });

  it('refuses a table it cannot read', () => {
    expect(() => parseMap('# no map here\n')).toThrow(/no "## Folders and who may import whom" section/);
    expect(() => parseMap(table('| core | the model | nothing | neither |'))).toThrow(/one `folder\/` in backticks/);
    expect(() => parseMap(table('| `core/` | the model | `ui/` | neither |'))).toThrow(/which is in no row/);
    expect(() => parseMap(table('| `core/` | the model | `core/missing.ts` | neither |'), ROOT)).toThrow(/does not exist/);
  });
});
