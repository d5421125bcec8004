#!/usr/bin/env node
// `npm run bench`: every benchmark, each printing its figures as ratios measured in the same run.
//  - the editor figures (activation time inside code-server's extension host, host bundle size), here;
//  - bench/*.ts (device link, network stack, cloud client), each run with tsx.
// `npm run bench -- NAME` runs only benchmarks whose name contains NAME.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTestsInWorkbench } from '../test/harness/code-server.mjs';
import { toolPaths } from './tools.mjs';

const root = toolPaths.root;
const filter = process.argv[2];
const wanted = (name) => !filter || name.includes(filter);

const ACTIVATION_TARGET_MS = 30;
const BUNDLE_TARGET_BYTES = 1.5 * 1000 * 1000;

async function editorFigures() {
  const run = (args) => {
    const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed`);
  };
  run(['node', 'scripts/build.mjs', '--production']);
  const bundleBytes = statSync(join(root, 'dist/extension.js')).size;
  run(['node', 'scripts/build.mjs']); // the bench entry is built with the test targets

  const runs = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'sphere-bench-'));
    const out = join(dir, 'activation.json');
    const code = await runTestsInWorkbench({
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out/bench/editor/activation.js'),
      env: { SPHERE_BENCH_OUT: out },
      onConsole: () => undefined,
    });
    if (code !== 0) throw new Error('the activation benchmark failed inside the extension host');
    runs.push(JSON.parse(readFileSync(out, 'utf8')));
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = (key) => runs.map((r) => r[key]).sort((a, b) => a - b);
  const times = sorted('activationMs');
  const median = times[1];
  const endToEnd = sorted('endToEndMs');
  const heavy = [...new Set(runs.flatMap((r) => r.heavyModulesLoaded))];
  console.log('\n## Editor');
  console.log('| figure | measured | target | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| activate(), median of 3 fresh extension hosts (min ${times[0].toFixed(1)}, max ${times[2].toFixed(1)}) | ${median.toFixed(1)} ms | ≤ ${ACTIVATION_TARGET_MS} ms | ${(median / ACTIVATION_TARGET_MS).toFixed(2)}× |`);
  console.log(`| extension.activate() seen from outside: VS Code's activation machinery + loading the bundle + activate() (median; informative) | ${endToEnd[1].toFixed(1)} ms | | ${(endToEnd[1] / median).toFixed(0)}× activate() |`);
  console.log(`| host bundle (production) | ${(bundleBytes / 1000).toFixed(1)} kB | ≤ 1500 kB | ${(bundleBytes / BUNDLE_TARGET_BYTES).toFixed(3)}× |`);
  console.log(`| heavy modules loaded by activation (serialport, msal-node, node-forge) | ${heavy.length ? heavy.join(', ') : 'none'} | none | |`);
}

if (wanted('editor')) await editorFigures();
const benches = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.ts')).sort();
for (const file of benches.filter(wanted)) {
  console.log(`\n## ${file}`);
  const r = spawnSync('npx', ['tsx', join('bench', file)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`${file} failed (${r.status})`);
    process.exitCode = 1;
  }
}
