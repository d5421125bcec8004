// Apps on the board as a developer works with them in the workbench: sign in, the board claimed into the tenant,
// "Enable Development" from the board's context menu (the board comes back in development mode, with the debugging
// server under Applications), deploy an image package from the Explorer's context menu, see the app running under
// the board, stop it and start it for debugging from its own menu, and a file that is not a package refused with
// its reason. Screenshots 60–66.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard } from '../../emulator/board';
import { SEED } from '../../emulator/cloud';
import { appPackage } from '../helpers/app-packages';
import { call, tokenFor } from '../helpers/cloud-emulator';
import { openSphereContainer, pane, runFromContextMenu, screenshot, signInThroughBrowser, waitForNotification, widenSideBar, workbenchOnEmulatorPerSuite } from './workbench';

const BLINK = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';
const AVERY = SEED.users.avery.email;

describe('UI: apps on the board — development mode, deploy from the Explorer, start, stop, debug', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-apps-'));
  const files = join(dir, 'files');
  let board: SimulatedBoard;
  const devices = (page: Page) => pane(page, 'Devices');
  const boardRow = (page: Page) => devices(page).locator('.monaco-list-row', { hasText: `${board.deviceId.slice(0, 8).toUpperCase()}…` });
  const appRow = (page: Page) => devices(page).locator('.monaco-list-row', { hasText: 'AzureSphereBlinkTest' });
  const suite = workbenchOnEmulatorPerSuite({
    dir,
    folder: files,
    prepare: async (emu) => {
      mkdirSync(files, { recursive: true });
      writeFileSync(join(files, 'AzureSphereBlink.imagepackage'), appPackage(BLINK, { storageKB: 8, appBytes: 60_000 }));
      writeFileSync(join(files, 'notes.imagepackage'), 'meeting notes, saved with the wrong extension');
      const registryDir = join(dir, 'registry');
      board = await startSimulatedBoard({ linkPath: join(dir, 'ttyBoard'), stateDir: join(dir, 'state'), registryDir, name: 'Simulated MT3620', restartDownMs: 800 });
      // The board is already claimed into Contoso Tenant, in its product's Field Test group.
      const token = await tokenFor(emu, AVERY);
      const device = `/v2/tenants/${SEED.tenants.contoso.id}/devices/${board.deviceId.toUpperCase()}`;
      assert.ok((await call(emu, `${device}/claim`, { method: 'PUT', token })).status < 300);
      const moved = await call(emu, `${device}/devicegroup`, { method: 'PUT', token, body: JSON.stringify(SEED.products.thermostat.groups.fieldTest), headers: { 'content-type': 'application/json' } });
      assert.ok(moved.status < 300, moved.text);
      return registryDir;
    },
    cleanup: () => board?.stop(),
  });

  it('enables development mode from the board\'s context menu; the board comes back with the debugging server', async () => {
    const { page } = suite.wb;
    await openSphereContainer(page);
    await widenSideBar(page, 200);
    await signInThroughBrowser(page, AVERY);
    await boardRow(page).filter({ hasText: 'claimed in Contoso Tenant' }).waitFor({ timeout: 60_000 });
    await boardRow(page).click({ button: 'right' });
    await page.locator('.context-view .monaco-menu .action-item', { hasText: 'Enable Development' }).waitFor();
    await screenshot(page, '60-apps-board-menu-enable-development');
    await page.keyboard.press('Escape');
    await runFromContextMenu(page, boardRow(page), 'Enable Development');
    await waitForNotification(page, /is in development mode/, 90_000);
    await boardRow(page).filter({ hasText: 'development' }).waitFor({ timeout: 30_000 });
    await boardRow(page).locator('.monaco-tl-twistie').click(); // expands it: Applications, Network interfaces, Certificate store
    await devices(page).locator('.monaco-list-row', { hasText: 'Applications' }).click();
    await devices(page).locator('.monaco-list-row', { hasText: 'gdbserver' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '61-apps-development-mode');
    assert.deepEqual(board.state.capabilities, [11]);
  });

  it('deploys an image package from the Explorer\'s context menu, with progress, and the app runs', async () => {
    const { page } = suite.wb;
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'AzureSphereBlink.imagepackage' });
    await file.waitFor({ timeout: 30_000 });
    await file.click({ button: 'right' });
    await page.locator('.context-view .monaco-menu .action-item', { hasText: 'Deploy Image Package…' }).waitFor();
    await screenshot(page, '62-apps-explorer-deploy');
    await page.locator('.context-view .monaco-menu .action-item', { hasText: 'Deploy Image Package…' }).hover();
    await page.keyboard.press('Enter');
    await waitForNotification(page, /AzureSphereBlinkTest was deployed to .* and is running/, 60_000);
    await openSphereContainer(page);
    await appRow(page).filter({ hasText: /running · \d+ of 8 KiB/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, '63-apps-running');
  });

  it('stops the app and starts it for debugging from its menu; the ports are shown', async () => {
    const { page } = suite.wb;
    await runFromContextMenu(page, appRow(page), 'Stop Application');
    await appRow(page).filter({ hasText: 'stopped' }).waitFor({ timeout: 30_000 });
    await appRow(page).click({ button: 'right' });
    const debugItem = page.locator('.context-view .monaco-menu .action-item', { hasText: 'Start Application for Debugging' });
    await debugItem.hover(); // once it takes the pointer, the menu has finished fading in
    await screenshot(page, '64-apps-app-menu');
    await page.keyboard.press('Enter');
    await waitForNotification(page, /Output Port: 2342, GDB Port: 2345/);
    await appRow(page).filter({ hasText: 'debugging' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '65-apps-debugging');
  });

  it('refuses a file that is not an image package, saying why', async () => {
    const { page } = suite.wb;
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'notes.imagepackage' });
    await runFromContextMenu(page, file, 'Deploy Image Package…');
    await waitForNotification(page, /notes\.imagepackage is not an Azure Sphere image package/);
    await screenshot(page, '66-apps-not-a-package');
  });
});
