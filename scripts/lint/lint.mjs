// `npm run lint`: ESLint (typescript-eslint's type-checked rules), knip (unused files, exports
// and dependencies), dependency-cruiser (the dependency map of docs/architecture.md, no cycles)
// and the check that every path cited in a comment or a doc exists. Exits non-zero when any of
// them finds something. `npm run lint -- --map` (or `npm run lint:map`) prints the map instead.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { danglingCitations } from './commentPaths.mjs';
import { formatMap, readMap } from './dependencyMap.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const rows = readMap(root);

if (args.includes('--map')) {
  process.stdout.write(formatMap(rows));
  process.exit(0);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

/** Runs a tool to the end, its output kept for one block (the tools run side by side). */
function run(name, command, commandArgs) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ name, ok: false, output: `${output}${error.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ name, ok: code === 0, output, seconds: (Date.now() - started) / 1000 }));
  });
}

// The folders of the map's rows, top level only (a nested row's folder is cruised with its parent).
const folders = [...new Set(rows.map((r) => r.folder.split('/')[0]))];

const tools = [
  run('eslint', bin('eslint'), ['--max-warnings', '0', '.']),
  run('knip', bin('knip'), ['--no-progress']),
  run('dependency-cruiser', bin('depcruise'), ['--config', '.dependency-cruiser.mjs', ...folders]),
  Promise.resolve().then(() => {
    const started = Date.now();
    const dangling = danglingCitations(root);
    const output = dangling.length > 0 ? `Comments and docs that cite a missing path or an issue number:\n${dangling.map((d) => `  ${d}\n`).join('')}` : '';
    return { name: 'comments and docs', ok: dangling.length === 0, output, seconds: (Date.now() - started) / 1000 };
  }),
];

let failed = 0;
for (const result of await Promise.all(tools)) {
  const output = result.output.trim();
  process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.seconds.toFixed(1)} s)\n${output ? `${output}\n\n` : ''}`);
  if (!result.ok) failed++;
}
if (failed > 0) {
  process.stdout.write(`npm run lint: ${failed} of ${tools.length} checks failed\n`);
  process.exitCode = 1;
}
