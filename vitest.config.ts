import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'property-tests/**/*.test.ts'],
    // The VS Code end-to-end suite has its own script. The browser tests (test/browser, Debian's
    // Chromium) run with the rest; their global setup builds the webview bundle first.
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/browser/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
