#!/usr/bin/env node
// `npm test` after setup and build: static checks, then unit, integration (inside code-server's extension host)
// and UI tests (Chromium through the workbench, including the packaged .vsix). Prints every step's output,
// a summary, and the closing line "tests: N passed, N failed, N skipped". Exits non-zero when anything fails.
// `npm test -- unit` (or integration, ui, static) runs only those stages.
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { toolPaths } from './tools.mjs';

const stages = [
  { name: 'lint', group: 'static', cmd: ['npx', 'eslint', '--max-warnings', '0', '.'] },
  { name: 'typecheck', group: 'static', cmd: ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'] },
  { name: 'typecheck webviews', group: 'static', cmd: ['npx', 'tsc', '-p', 'tsconfig.webview.json', '--noEmit'], optional: 'src/views/webview' },
  { name: 'check commands', group: 'static', cmd: ['node', 'scripts/check-commands.mjs'] },
  { name: 'unit', group: 'unit', cmd: ['npx', 'mocha', 'test/unit/**/*.test.ts'], counts: true },
  { name: 'integration', group: 'integration', cmd: ['node', 'test/harness/run-integration.mjs'], counts: true },
  { name: 'package', group: 'ui', cmd: ['npm', 'run', '--silent', 'package'] },
  { name: 'ui', group: 'ui', cmd: ['npx', 'mocha', '--config', 'test/ui/.mocharc.json', 'test/ui/**/*.test.ts'], counts: true },
];

const wanted = process.argv.slice(2);
const { existsSync } = await import('node:fs');
const selected = stages.filter(
  (s) => (wanted.length === 0 || wanted.includes(s.group) || wanted.includes(s.name)) && (!s.optional || existsSync(s.optional)),
);

function runStage(stage) {
  return new Promise((resolve) => {
    const started = Date.now();
    let output = '';
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { cwd: toolPaths.root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const forward = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** Mocha's closing lines: "N passing", "N failing", "N pending". */
function mochaCounts(output) {
  const clean = stripVTControlCharacters(output);
  const last = (word) => {
    const all = [...clean.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, 'gm'))];
    return all.reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return { passed: last('passing'), failed: last('failing'), skipped: last('pending') };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
let failedStages = 0;
for (const stage of selected) {
  console.log(`\n=== ${stage.name}: ${stage.cmd.join(' ')}`);
  const r = await runStage(stage);
  let note = '';
  if (stage.counts) {
    const c = mochaCounts(r.output);
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    if (r.code !== 0 && c.failed === 0) totals.failed += 1; // a crash before mocha could count is a failure too
    note = `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
  }
  if (r.code !== 0) failedStages++;
  summary.push(`${r.code === 0 ? 'ok  ' : 'FAIL'} ${stage.name.padEnd(20)} ${r.seconds.toFixed(1).padStart(6)} s  ${note}`);
}

console.log(`\n=== summary\n${summary.join('\n')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedStages > 0 ? 1 : 0);
