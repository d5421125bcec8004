// ESLint flat config: typescript-eslint's recommended rules over all TypeScript; zero warnings allowed (npm run lint).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'dist/', 'out/', 'test-results/', '.state/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/views/webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The device stack and the cloud client are plain TypeScript: they must never depend on the editor.
    files: ['src/device/**/*.ts', 'src/cloud/**/*.ts', 'emulator/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/device, src/cloud and emulator/ must not import vscode' }] }] },
  },
);
