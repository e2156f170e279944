// ESLint: typescript-eslint's type-checked rules on every TypeScript file, the promise and
// unused-code rules on top, @vitest/eslint-plugin's rules on the tests. `npm run lint` runs it
// with knip (unused files, exports, dependencies) and dependency-cruiser (the dependency map of
// docs/architecture.md, cycles included): scripts/lint/lint.mjs.
import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build outputs and caches (those of .gitignore), and the seeded violations of test/lint.
  globalIgnores(['dist/', 'node_modules/', 'native/build/', 'bench/.out/', '.e2e-cache/', '.gl/', '.whl/', 'artifacts/', 'out/', 'test/lint/fixtures/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error', reportUnusedInlineConfigs: 'error' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Its page.evaluate callbacks run in the page, where document and window are defined.
    files: ['bench/browser.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.ts'],
    // recommendedTypeChecked, not strictTypeChecked: strict's no-unnecessary-condition trusts
    // `a[i]` to be defined (tsconfig keeps noUncheckedIndexedAccess off, the numeric kernels index
    // typed arrays in hot loops) and would call every bounds guard needless; its
    // no-non-null-assertion and restrict-template-expressions (numbers in messages) would reword
    // hundreds of correct lines. The strict rules that catch real bugs are switched on below.
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      // Promises: none dropped unawaited (`void` marks the deliberate ones), none handed where a
      // void callback is expected without a `.catch`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/promise-function-async': 'off',
      // Unused code: `_name` marks a parameter an interface requires.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
      // Type-only imports say so, so a bundle never loads a module for its types.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/consistent-type-exports': 'error',
      // From strictTypeChecked, the rules that catch bugs rather than style.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-boolean-literal-compare': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  {
    files: ['test/**/*.ts', 'property-tests/**/*.test.ts'],
    extends: [vitest.configs.recommended],
    rules: {
      // Vitest's expect takes a message as its second argument.
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      // The tests' own assertion helpers (expectInputError, refused, a locator's waitFor, which
      // throws when the element does not come).
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', 'refused', 'refusedBy', '**.waitFor'] }],
      // Checks of a shared fixture run in beforeAll, where a failure stops the tests that need it.
      'vitest/no-standalone-expect': ['error', { additionalTestBlockFunctions: ['beforeAll', 'beforeEach'] }],
      // Off: the branches are on the machine (a native module present or not) or on a test's
      // parameter (backend, measure), and each branch asserts what holds there.
      'vitest/no-conditional-expect': 'off',
      // Off in tests: they parse JSON the program printed or wrote and assert on its fields;
      // a field of the wrong shape fails the assertion that reads it.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Off in tests: stubs implement the async interfaces of vscode and the host without
      // anything to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Last, so that no `extends` above switches it back on. Off: the control characters in regexes
    // are the point (terminal output is stripped of them, Slurm's names are checked for them).
    rules: { 'no-control-regex': 'off' },
  },
);
