#!/usr/bin/env node
// Runs the integration suites inside a real VS Code extension host through @vscode/test-electron's runTests.
// Here the "executable" is code-shim.mjs (code-server + headless Chromium); on a desktop with VS Code,
// set VSCODE_EXECUTABLE to run the same suites there.
import { runTests } from '@vscode/test-electron';
import { join } from 'node:path';
import { toolPaths } from '../../scripts/tools.mjs';

const root = toolPaths.root;
try {
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE ?? join(root, 'test/harness/code-shim.mjs'),
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/integration/index.js'),
    launchArgs: [join(root, 'test/fixtures/workspace')],
  });
} catch (err) {
  console.error(`[integration] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}
