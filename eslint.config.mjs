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
    files: ['src/views/webview/**/*.ts', 'src/**/page/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The core is plain TypeScript, tested by plain mocha: the device stack, the cloud client, the shared basics, the
    // wizards' steps, contracts and pages, and the emulators must never depend on the editor. Each wizard's one
    // `*-panel.ts` is the binding to VS Code (see docs/architecture.md).
    files: ['src/device/**/*.ts', 'src/cloud/**/*.ts', 'src/common/**/*.ts', 'src/wizards/**/*.ts', 'emulator/**/*.ts'],
    ignores: ['src/wizards/*/*-panel.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'the core (src/device, src/cloud, src/common, src/wizards but their panels, emulator/) must not import vscode' }] },
      ],
    },
  },
);
