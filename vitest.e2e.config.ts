import { defineConfig } from 'vitest/config';

// The extension in real VS Code (code-server 4.100.3 from .e2e-cache/, driven through Debian's
// Chromium): `npm run test:e2e`, run by .ci/run after `npm test`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
