import { execFileSync } from 'node:child_process';

// The browser tests load the bundles from dist/webview: build them once before any test runs.
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
