// Lint: the recommended type-aware rules, a ban on spawning processes outside the exec module, and tests that await their promises.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Test code reads time from the clock the code under test runs on: T0 or its own fake clock, or wallClock() from
// src/testing/clock.ts when the code under test runs on the real clock; never Date.now() or `new Date()`, and never
// wallClock() in a file that also fixes time.
const TEST_CODE = ['src/**/*.test.ts', 'src/testing/**/*.ts'];
const CLOCK = 'a test reads time from the clock of the code under test: T0 / api.now() / its fake clock, or wallClock() (src/testing/clock.ts) when that code runs on the real clock';
const testClockSyntax = [
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: CLOCK },
  { selector: "CallExpression[callee.name='Date']", message: CLOCK },
  {
    selector: "Program:has(ImportSpecifier[imported.name='wallClock']):matches(:has(ImportSpecifier[imported.name='T0']), :has(CallExpression[callee.object.name='Date'][callee.property.name='UTC']))",
    message: 'this file fixes time (T0, Date.UTC) and also reads the wall clock: one clock per test file',
  },
];

// A test skips only through needs() (src/testing/needs.ts): outside CI when something is missing, never under CI.
const SKIP = 'a test skips only through needs() from src/testing/needs.ts (never under CI)';
const testSkipSyntax = [
  { selector: "CallExpression[callee.property.name=/^(skip|todo)$/]", message: SKIP },
  { selector: "CallExpression[callee.name=/^(test|it|describe|suite)$/] > ObjectExpression > Property[key.name=/^(skip|todo)$/]", message: SKIP },
  { selector: "VariableDeclarator > ObjectExpression > Property[key.name=/^(skip|todo)$/]", message: SKIP },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', {
        paths: [{ name: 'node:child_process', message: 'Spawn processes only through src/core/exec.ts.' },
                { name: 'child_process', message: 'Spawn processes only through src/core/exec.ts.' }],
      }],
    },
  },
  { files: ['src/core/exec.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Tests await every promise (an unawaited assert.rejects loses its failure); only node:test's own test() and
  // describe() calls may float, the runner awaits those.
  { files: ['src/**/*.test.ts'], rules: { '@typescript-eslint/no-floating-promises': ['error', {
    allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
  }] } },
  {
    files: TEST_CODE,
    ignores: ['src/testing/clock.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: CLOCK }, { object: 'performance', property: 'now', message: CLOCK }],
      'no-restricted-syntax': ['error', ...testClockSyntax],
    },
  },
  { files: ['src/**/*.test.ts'], rules: { 'no-restricted-syntax': ['error', ...testClockSyntax, ...testSkipSyntax] } },
  // The dashboard's browser scripts (web/): plain ES modules, no type information, the browser's globals.
  {
    files: ['web/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'module',
      parserOptions: { projectService: false },
      globals: Object.fromEntries(['window', 'document', 'fetch', 'EventSource', 'sessionStorage', 'performance', 'Intl', 'URL',
        'setTimeout', 'clearTimeout', 'setInterval', 'requestAnimationFrame', 'cancelAnimationFrame', 'uPlot'].map((g) => [g, 'readonly'])),
    },
  },
  // Capture scripts run by hand in a lab (scripts/fixtures/): plain Node modules, no type information.
  {
    files: ['scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { sourceType: 'module', parserOptions: { projectService: false }, globals: Object.fromEntries(['process', 'console', 'URL', 'setTimeout', 'clearTimeout'].map((g) => [g, 'readonly'])) },
  },
);
