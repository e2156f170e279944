// Measures what activation costs: loading dist/extension.js (the host bundle) and calling its
// `activate` against a minimal stand-in of the `vscode` module, each in a fresh Node process.
// Prints the median and the worst of RUNS processes. A script, not a test (no wall-clock asserts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const RUNS = Number(process.env.RUNS ?? 15);
const bundle = path.resolve('dist/extension.js');
const dir = mkdtempSync(path.join(tmpdir(), 'dfl-activation-'));
const child = path.join(dir, 'child.cjs');
// The stand-in `vscode` of the unit tests, bundled to CommonJS for the child processes.
const { build } = await import('esbuild');
await build({ entryPoints: ['test/extension/vscodeStub.ts'], outfile: path.join(dir, 'vscode.cjs'), bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
writeFileSync(
  child,
  `
const Module = require('module');
const vscode = require(${JSON.stringify(path.join(dir, 'vscode.cjs'))});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
const t0 = process.hrtime.bigint();
const ext = require(${JSON.stringify(bundle)});
const t1 = process.hrtime.bigint();
const memento = { get: () => undefined, update: async () => undefined };
ext.activate({ subscriptions: [], extensionUri: vscode.Uri.file(${JSON.stringify(path.resolve('.'))}), globalStorageUri: vscode.Uri.file(${JSON.stringify(dir)}), workspaceState: memento, globalState: memento });
const t2 = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ load: Number(t1 - t0) / 1e6, activate: Number(t2 - t1) / 1e6, engineLoaded: Object.keys(require.cache).some((k) => k.endsWith('compute.js')) }));
`,
);
const samples = [];
for (let i = 0; i < RUNS; i++) {
  const r = spawnSync(process.execPath, [child], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  samples.push(JSON.parse(r.stdout));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = samples.map((s) => s.load);
const activate = samples.map((s) => s.activate);
console.log(`dist/extension.js: ${(await import('node:fs')).statSync(bundle).size} bytes; compute.js is loaded on the first run, not at activation`);
console.log(`load (require)  median ${median(load).toFixed(1)} ms, max ${Math.max(...load).toFixed(1)} ms  (${RUNS} fresh processes; budget 100 ms)`);
if (samples.some((s) => s.engineLoaded)) console.log('note: compute.js was loaded during activation');
console.log(`activate()      median ${median(activate).toFixed(1)} ms, max ${Math.max(...activate).toFixed(1)} ms  (against a stand-in vscode)`);
