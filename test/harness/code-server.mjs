// Starts a real VS Code (code-server, from .tools/) on 127.0.0.1 and drives its workbench with Debian's Chromium.
// Shared by the integration-test shim, the UI tests, the benchmarks and `npm start`.
// Every process it starts runs in its own process group and is killed as a group, also when the caller dies.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolPaths } from '../../scripts/tools.mjs';

const groups = new Set();
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
process.on('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const pid of groups) killGroup(pid, 'SIGKILL');
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs a command in its own process group; resolves when it exits. */
export function spawnGroup(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
  groups.add(child.pid);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    resolve(code ?? (signal ? 128 : 1));
  }));
  return {
    child,
    exited,
    async stop() {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // whatever the leader left behind in its group
      groups.delete(child.pid);
    },
  };
}

/**
 * Starts code-server. Options: port (default: a free one), folder (opened workspace), extensionsDir, userDataDir,
 * env (merged into the server's environment, which the extension host inherits), keep (do not delete temp dirs),
 * log (stream for the server's output; default: discarded unless CODE_SERVER_LOG=1).
 */
export async function startCodeServer(opts = {}) {
  if (!existsSync(toolPaths.codeServer)) {
    throw new Error('code-server is not installed under .tools/: run `npm run setup` first');
  }
  const port = opts.port ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'sphere-cs-'));
  const userDataDir = opts.userDataDir ?? join(scratch, 'user');
  const extensionsDir = opts.extensionsDir ?? join(scratch, 'extensions');
  const folder = opts.folder ?? join(scratch, 'workspace');
  for (const d of [userDataDir, extensionsDir, folder, join(scratch, 'xdg-config'), join(scratch, 'xdg-data')]) {
    mkdirSync(d, { recursive: true });
  }
  if (opts.settings) {
    // Merged into what is there, so a kept user-data dir (npm start) keeps the user's own settings.
    const file = join(userDataDir, 'User/settings.json');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    let current = {};
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // none yet, or not plain JSON (comments): ours replace it
    }
    writeFileSync(file, JSON.stringify({ ...current, ...opts.settings }, null, 2));
  }
  const args = [
    toolPaths.codeServer,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--reconnection-grace-time', '5',
    '--vscode-option', 'enable-smoke-test-driver',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const server = spawnGroup(toolPaths.node, args, {
    env: {
      ...process.env,
      ...opts.env,
      PATH: `${toolPaths.nodeBin}:${process.env.PATH}`,
      XDG_CONFIG_HOME: join(scratch, 'xdg-config'),
      XDG_DATA_HOME: join(scratch, 'xdg-data'),
    },
  });
  const logSink = opts.log ?? (process.env.CODE_SERVER_LOG ? process.stderr : null);
  if (logSink) {
    server.child.stdout.pipe(logSink, { end: false });
    server.child.stderr.pipe(logSink, { end: false });
  } else {
    server.child.stdout.resume();
    server.child.stderr.resume();
  }
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, server.exited, 60_000);
  return {
    url,
    port,
    folder,
    userDataDir,
    extensionsDir,
    async stop() {
      await server.stop();
      if (!opts.keep) rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function waitForHealth(url, exited, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error('code-server exited before it was ready (set CODE_SERVER_LOG=1 to see its output)');
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not become ready within ${timeoutMs} ms`);
}

/** Installs a .vsix into an extensions dir with code-server's own CLI. */
export async function installVsix(vsixPath, extensionsDir) {
  const scratch = mkdtempSync(join(tmpdir(), 'sphere-cs-install-'));
  const proc = spawnGroup(toolPaths.node, [toolPaths.codeServer, '--extensions-dir', extensionsDir, '--install-extension', vsixPath], {
    env: { ...process.env, PATH: `${toolPaths.nodeBin}:${process.env.PATH}`, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.child.stdout.on('data', (d) => (out += d));
  proc.child.stderr.on('data', (d) => (out += d));
  const code = await proc.exited;
  groups.delete(proc.child.pid);
  rmSync(scratch, { recursive: true, force: true });
  if (code !== 0) throw new Error(`installing ${vsixPath} failed (${code}): ${out}`);
  return out;
}

const TEST_OUTPUT_TAG = '[ext-test] ';
/** Prints the extension host's mocha output (tagged by test/integration/index.ts); SPHERE_TEST_VERBOSE=1 prints all. */
function printTestOutput(text) {
  const at = text.indexOf(TEST_OUTPUT_TAG);
  if (at >= 0) process.stdout.write(`${text.slice(at + TEST_OUTPUT_TAG.length)}\n`);
  else if (process.env.SPHERE_TEST_VERBOSE) process.stdout.write(`[workbench] ${text}\n`);
}

/** Headless Debian Chromium through playwright-core (which never downloads a browser); `extraArgs` are added. */
export async function launchChromium(extraArgs = []) {
  const { chromium } = await import('playwright-core');
  const real = '/usr/lib/chromium/chromium';
  return chromium.launch({
    executablePath: existsSync(real) ? real : toolPaths.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...extraArgs,
    ],
  });
}

/** The workbench URL, optionally loading a development extension and running its tests (smoke-test driver payload). */
export function workbenchUrl(server, { folder = server.folder, extensionDevelopmentPath, extensionTestsPath } = {}) {
  const authority = new URL(server.url).host;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  const query = new URLSearchParams({ folder });
  if (payload.length) query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query}`;
}

/**
 * Runs mocha suites inside the real extension host: opens the workbench with the test payload and waits for
 * window.codeAutomationExit(code). Resolves to the exit code (0 = all passed).
 */
export async function runTestsInWorkbench({ extensionDevelopmentPath, extensionTestsPath, folder, env, timeoutMs = 600_000, onConsole }) {
  const server = await startCodeServer({ folder, env });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))));
    page.on('console', (msg) => (onConsole ?? printTestOutput)(msg.text()));
    await page.goto(workbenchUrl(server, { folder: server.folder, extensionDevelopmentPath, extensionTestsPath }));
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([exit, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      console.error(`[harness] the extension tests did not finish within ${timeoutMs / 1000} s`);
      return 1;
    }
    return result;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
