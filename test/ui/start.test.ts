import * as assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { harness, openSphereContainer, ROOT, screenshot } from './workbench';

/** Pids of processes whose command line mentions `needle` (ours: the code-server started for this test). */
function processesMatching(needle: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', '--', needle], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

describe("the README's start command (scripts/start.mjs, after setup and build)", () => {
  let start: ChildProcess | undefined;
  let browser: Browser | undefined;
  let port: number;
  const stateDir = mkdtempSync(join(tmpdir(), 'sphere-start-'));

  after(async () => {
    await browser?.close().catch(() => undefined);
    if (start && start.exitCode === null) {
      // Ctrl-C first: start.mjs stops the editor, emulator and board it started; SIGKILL would orphan them.
      const exited = new Promise((resolve) => start!.once('exit', resolve));
      start.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      start.kill('SIGKILL');
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints a URL where the workbench shows the Azure Sphere container, and leaves nothing running on Ctrl-C', async () => {
    const h = await harness();
    port = await h.freePort();
    const emulatorPort = await h.freePort();
    start = spawn('node', ['scripts/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), EMULATOR_PORT: String(emulatorPort), SPHERE_STATE_DIR: stateDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${out}`)), 60_000);
      start!.stdout!.on('data', (d) => {
        out += d;
        const m = out.match(/^\s*(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/m);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      start!.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${out}`)));
    });
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/`), url);
    assert.ok(processesMatching(`--port ${emulatorPort}`).length > 0, 'the cloud emulator is not running');
    assert.ok(processesMatching(`--link ${stateDir}`).length > 0, 'the board simulator is not running');

    browser = await h.launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await openSphereContainer(page);
    await page.locator('.sidebar .pane-header h3.title', { hasText: 'Devices' }).waitFor();
    // The extension read the settings npm start wrote: it invites a seeded user to the local emulator.
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Sign in to the local cloud emulator' }).waitFor({ timeout: 30_000 });
    // The simulated board npm start runs is in the Devices view, its facts read over the serial link.
    await page.locator('.sidebar .monaco-list-row', { hasText: /OS \d+\.\d+ · SECURE/ }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, '04-npm-start-workbench');
    await browser.close();
    browser = undefined;

    const exited = new Promise((resolve) => start!.once('exit', resolve));
    start.kill('SIGINT');
    await exited;
    start = undefined;
    assert.deepEqual(processesMatching(`127.0.0.1:${port}`), [], 'code-server still running after Ctrl-C');
    assert.deepEqual(processesMatching(`--port ${emulatorPort}`), [], 'the cloud emulator still running after Ctrl-C');
    assert.deepEqual(processesMatching(`--link ${stateDir}`), [], 'the board simulator still running after Ctrl-C');
  });
});
