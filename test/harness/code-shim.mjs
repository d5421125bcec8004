#!/usr/bin/env node
// A "VS Code executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }): it accepts Code's test
// arguments, runs the suites inside code-server's real extension host (see code-server.mjs) and exits with their code.
// Where a desktop VS Code can be had, the same runTests call works without this shim.
import { runTestsInWorkbench } from './code-server.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const extensionDevelopmentPath = flag('extensionDevelopmentPath');
const extensionTestsPath = flag('extensionTestsPath');
const folder = args.find((a) => !a.startsWith('-'));
if (!extensionDevelopmentPath || !extensionTestsPath) {
  console.error('code-shim: --extensionDevelopmentPath= and --extensionTestsPath= are required');
  process.exit(2);
}
const code = await runTestsInWorkbench({ extensionDevelopmentPath, extensionTestsPath, folder });
process.exit(code);
