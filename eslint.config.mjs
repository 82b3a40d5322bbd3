// Typed lint rules; Prettier owns formatting (eslint-config-prettier switches off the style rules).
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'crypto',
  'url',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'build/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'src/kernels-wasm/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
      curly: 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['vscode', ...nodeBuiltins],
              message: 'src/core is pure: no vscode, no Node built-ins.',
            },
            {
              group: ['**/extension/**', '**/webview/**', '**/cli/**', '**/node/**'],
              message: 'src/core must not depend on adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vscode', ...nodeBuiltins], message: 'The webview runs in a browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  prettier,
);
