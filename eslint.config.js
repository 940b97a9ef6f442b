import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Architecture, enforced: src/core is pure and shared by the app and training; the app (src/) never
// reaches outside src/; training never touches React or the app's UI; nothing forms an import cycle, between
// files or between folders.
export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'runs', 'test-results', 'playwright-report', '.cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-cycle': ['error', { maxDepth: 10, ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './src', from: './training', message: 'The app must not import training code.' },
            { target: './src', from: './scripts', message: 'The app must not import build scripts.' },
            { target: './src', from: ['./harness', './e2e', './bench'], message: 'The app must not import test or benchmark code.' },
            { target: './src/core', from: './src/app', message: 'src/core is pure: no app code.' },
            { target: './src/core', from: './src/features', message: 'src/core is pure: no app code.' },
            { target: './training', from: './src/app', message: 'Training may only use src/core.' },
            { target: './training', from: './src/features', message: 'Training may only use src/core.' },
            // Folders above src, in one order: harness <- training <- scripts <- bench, e2e. The harness
            // (browser launch, debug-API reader, soak sampler) is shared by e2e and bench and sees only src/core.
            {
              target: './harness',
              from: ['./bench', './e2e', './scripts', './training', './src/app', './src/features'],
              message: 'The test harness may only use src/core.',
            },
            {
              target: './training',
              from: ['./scripts', './bench', './e2e'],
              message: 'Training must not import build scripts, benchmarks or tests.',
            },
            { target: './scripts', from: ['./bench', './e2e', './harness'], message: 'Build scripts must not import benchmarks or tests.' },
            { target: './bench', from: './e2e', message: 'Benchmarks share code with the tests through harness/, not e2e/.' },
            { target: './e2e', from: './bench', message: 'Tests share code with the benchmarks through harness/, not bench/.' },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['training/**/*.ts', 'src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'preact', 'preact/*', 'zustand', 'zustand/*'],
              message: 'UI libraries belong to the app only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
