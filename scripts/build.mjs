#!/usr/bin/env node
// Builds every target with esbuild:
//  - the extension host bundle (Node, CJS; `vscode` and `serialport` stay external — serialport ships its own
//    N-API prebuilds in node_modules, and a .node file cannot live inside a JS bundle);
//  - the webviews (browser, ESM), when there are any;
//  - the integration tests and in-editor benchmarks (Node, CJS), one bundle per file, run inside the extension host.
// `--production` minifies and drops source maps (what `npm run package` ships). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { toolPaths } from './tools.mjs';

const root = toolPaths.root;
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const list = (dir, pattern) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => pattern.test(f)).map((f) => join(dir, f)) : [];

const nodeExternals = ['vscode', 'serialport', '@serialport/*', 'mocha'];

/** @type {esbuild.BuildOptions[]} */
const targets = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
    metafile: true,
  },
];

// The local cloud emulator and the board simulator, run by the extension's "Start Local Cloud Emulator and
// Simulated Board" command with the extension host's own Node (separate files: they never load with the host).
targets.push({
  entryPoints: { cloud: 'emulator/cloud/main.ts', board: 'emulator/board/main.ts' },
  outdir: 'dist/emulator',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: nodeExternals,
});

// Each webview's page lives with its feature: `src/<feature>/page/<entry>-page.ts` (e.g. src/wizards/claim/page/).
const pageDirs = ['src/doctor/page', ...list('src/wizards', /^[a-z][\w-]*$/).map((d) => `${d}/page`)];
const webviewEntries = pageDirs.flatMap((dir) => list(dir, /^[a-z][\w-]*-page\.ts$/));
if (webviewEntries.length > 0) {
  targets.push({
    // `certificate-page.ts` → `certificate.js` / `.css`: the names the page (src/views/page-html.ts) loads.
    entryPoints: Object.fromEntries(webviewEntries.map((f) => [f.replace(/^.*\//, '').replace(/-page\.ts$/, ''), f])),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    loader: { '.ttf': 'file', '.css': 'css' },
  });
}

if (!production) {
  const testEntries = [...list('test/integration', /\.ts$/), ...list('bench/editor', /\.ts$/)];
  targets.push({
    entryPoints: testEntries,
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  });
}

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: production,
  // Error classes name themselves after their class (new.target.name); minifying must not rename them.
  keepNames: true,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
};

const started = Date.now();
rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });
if (webviewEntries.length > 0) {
  // Codicons are served from the extension's own files (localResourceRoots), never from a CDN.
  cpSync(join(root, 'node_modules/@vscode/codicons/dist'), join(root, 'dist/webview/codicons'), { recursive: true });
}

if (watch) {
  for (const t of targets) {
    const ctx = await esbuild.context({ ...common, ...t });
    await ctx.watch();
  }
  console.log('[build] watching for changes');
} else {
  const results = await Promise.all(targets.map((t) => esbuild.build({ ...common, ...t })));
  const host = results[0].metafile.outputs['dist/extension.js'];
  console.log(
    `[build] ${targets.length} targets in ${Date.now() - started} ms; host bundle ${(host.bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`,
  );
}
