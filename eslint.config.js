// ESLint (flat config): TypeScript's recommended rules, React's hooks rules for the page,
// and a few of the house's own. Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', '**/*.bak'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.worker, ...globals.node } },
    rules: {
      // Unused names are the compiler's (noUnusedLocals / noUnusedParameters); `_x` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Expression statements like `a && b()` are how a few one-line guards read; allowed, but not stray values.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The service worker's template: the build writes the list of files in the placeholder's place (vite.config.ts).
    files: ['src/ui/offline/sw.template.js'],
    languageOptions: { globals: { __FOLIO_FILES__: 'readonly' } },
  },
  {
    // The hand-laid WebAssembly assembler writes opcodes as numbers in long tables.
    files: ['src/kernels/wasm/asm/**'],
    rules: { 'no-loss-of-precision': 'off' },
  },
);
