// Lint: the recommended type-aware rules, a ban on spawning processes outside the exec module, and tests that await their promises.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
