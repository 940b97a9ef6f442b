import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Architecture, enforced: src/core is pure and shared by the app and training; the app (src/) never
// reaches into training/; training never touches React or the app's UI; nothing forms an import cycle.
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
            { target: './src/core', from: './src/app', message: 'src/core is pure: no app code.' },
            { target: './src/core', from: './src/features', message: 'src/core is pure: no app code.' },
            { target: './training', from: './src/app', message: 'Training may only use src/core.' },
            { target: './training', from: './src/features', message: 'Training may only use src/core.' },
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
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*', 'recharts'], message: 'UI libraries belong to the app only.' },
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
