// The dependency map of docs/architecture.md as dependency-cruiser rules. The table under
// "Folders and who may import whom" is the one source: each row is a folder (`core/`) or a file,
// its "may import" cell lists, in backticks, the folders and files of ours it may import (besides
// its own folder; "anything" for all), and its "Node, vscode" cell says whether it may import
// Node's built-in modules and `vscode`. A file belongs to the row of its longest folder prefix;
// a test file (`*.test.ts`) anywhere belongs to test/'s.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const HEADING = '## Folders and who may import whom';

/**
 * The rows of the map in `markdown` (the text of docs/architecture.md). Throws on a table that
 * cannot be read, and, with `root`, on a cited path that does not exist there.
 */
export function parseMap(markdown, root) {
  const start = markdown.indexOf(HEADING);
  if (start < 0) throw new Error(`no "${HEADING}" section`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  if (first < 0) throw new Error(`no table under "${HEADING}"`);
  const table = [];
  for (let i = first; i < lines.length && lines[i].startsWith('|'); i++) table.push(cells(lines[i]));
  const header = table[0].map((h) => h.toLowerCase());
  const column = (name) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`the table has no "${name}" column (it has ${header.join(', ')})`);
    return at;
  };
  const [folderAt, mayAt, platformAt] = [column('folder'), column('may import'), column('node, vscode')];
  const rows = table.slice(2).map((row) => {
    const folder = backticked(row[folderAt])[0];
    if (!folder?.endsWith('/')) throw new Error(`a row's folder must be one \`folder/\` in backticks: "${row[folderAt]}"`);
    const may = row[mayAt];
    const anything = /^anything\b/.test(may);
    const platform = row[platformAt];
    return { folder, what: row[column('what')], mayImport: anything ? [] : backticked(may), anything, node: /\bNode\b/.test(platform), vscode: /\bvscode\b/.test(platform) };
  });
  const folders = new Set(rows.map((r) => r.folder));
  for (const row of rows) {
    for (const target of row.mayImport) {
      const known = folders.has(target) || [...folders].some((f) => target.startsWith(f));
      if (!known) throw new Error(`${row.folder} may import \`${target}\`, which is in no row of the table`);
      if (root && !existsSync(path.join(root, target))) throw new Error(`${row.folder} may import \`${target}\`, which does not exist`);
    }
    if (root && !existsSync(path.join(root, row.folder))) throw new Error(`the table's folder \`${row.folder}\` does not exist`);
  }
  return rows;
}

function cells(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

function backticked(text) {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A path regex of a folder (`core/`: everything under it) or of one file. */
const pattern = (p) => (p.endsWith('/') ? `^${escape(p)}` : `^${escape(p)}$`);
const anyOf = (paths) => paths.map(pattern).join('|');

const TEST_FILE = '\\.test\\.ts$';

/** The folders of `rows` nested in `row`'s folder: their files belong to their own rows. */
function nested(rows, row) {
  return rows.filter((r) => r !== row && r.folder.startsWith(row.folder)).map((r) => r.folder);
}

/** dependency-cruiser's forbidden rules for the map: one per row and kind, and no cycles. */
export function forbiddenRules(rows) {
  const ours = rows.map((r) => r.folder);
  const rules = [];
  for (const row of rows) {
    // Tests beside the sources (property-tests/*.test.ts) are tests: the test/ row's.
    const notFrom = [...nested(rows, row).map(pattern), TEST_FILE].join('|');
    const from = { path: pattern(row.folder), pathNot: notFrom };
    if (!row.anything) {
      const allowed = [row.folder, ...row.mayImport];
      rules.push({
        name: `map: ${row.folder}`,
        comment: `docs/architecture.md: ${row.folder} may import ${row.mayImport.length > 0 ? row.mayImport.join(', ') : 'nothing of ours'}`,
        severity: 'error',
        from,
        to: { path: anyOf(ours), pathNot: anyOf(allowed) },
      });
    }
    if (!row.node) {
      rules.push({ name: `map: ${row.folder} no Node`, comment: `docs/architecture.md: ${row.folder} runs without Node`, severity: 'error', from, to: { dependencyTypes: ['core'] } });
    }
    if (!row.vscode) {
      rules.push({ name: `map: ${row.folder} no vscode`, comment: `docs/architecture.md: ${row.folder} runs outside VS Code`, severity: 'error', from, to: { path: '^(vscode$|node_modules/@types/vscode/)' } });
    }
  }
  rules.push({ name: 'no-circular', comment: 'no import cycle, type-only imports included', severity: 'error', from: {}, to: { circular: true } });
  return rules;
}

/** The whole dependency-cruiser configuration of the map, for the folders of `rows` under `root`. */
export function cruiserConfig(rows, { tsConfig } = {}) {
  return {
    forbidden: forbiddenRules(rows),
    options: {
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '(^|/)(node_modules|dist|build|\\.out)/|^test/lint/fixtures/' },
      // Type-only imports count: a cycle through types is a cycle for a reader.
      tsPreCompilationDeps: true,
      ...(tsConfig ? { tsConfig: { fileName: tsConfig } } : {}),
      enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.cjs', '.json', '.d.ts'] },
    },
  };
}

/** The map as text: the layers, and who may import whom. */
export function formatMap(rows) {
  const width = Math.max(...rows.map((r) => r.folder.length));
  const lines = ['The dependency map (docs/architecture.md), enforced by dependency-cruiser in npm run lint:', ''];
  for (const row of rows) {
    const may = row.anything ? 'anything' : row.mayImport.length > 0 ? row.mayImport.join(', ') : 'nothing of ours';
    const platform = [row.node ? 'Node' : 'no Node', row.vscode ? 'vscode' : 'no vscode'].join(', ');
    lines.push(`${row.folder.padEnd(width)}  may import: ${may}  (${platform})`);
  }
  const importedBy = new Map(rows.map((r) => [r.folder, []]));
  for (const row of rows) {
    for (const target of row.anything ? [] : row.mayImport) {
      const owner = [...importedBy.keys()].filter((f) => target.startsWith(f)).sort((a, b) => b.length - a.length)[0];
      importedBy.get(owner).push(target === owner ? row.folder : `${row.folder} (${target})`);
    }
  }
  lines.push('', 'Imported by (besides its own folder and test/):');
  for (const [folder, by] of importedBy) if (folder !== 'test/') lines.push(`${folder.padEnd(width)}  ${by.length > 0 ? by.join(', ') : 'nothing'}`);
  lines.push('', 'No import cycles (type-only imports included).');
  return `${lines.join('\n')}\n`;
}

/** The rows of docs/architecture.md under `root`. */
export function readMap(root) {
  return parseMap(readFileSync(path.join(root, 'docs', 'architecture.md'), 'utf8'), root);
}
