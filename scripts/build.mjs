// Bundles the entry points with esbuild. The CLI keeps node_modules external (it runs where npm
// installed them); the extension and webview bundles are added by their own issues.
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';

mkdirSync('dist', { recursive: true });

await build({
  entryPoints: { cli: 'cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The JSON Schema of *.dfl.json files, generated from core's zod schema.
await build({ entryPoints: ['core/spec/jsonSchema.ts'], outfile: 'dist/schema-gen.cjs', bundle: true, platform: 'node', format: 'cjs', packages: 'external', logLevel: 'warning' });
const { experimentJsonSchema } = await import('../dist/schema-gen.cjs');
writeFileSync('dist/experiment.schema.json', `${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
