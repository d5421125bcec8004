// Recover Device… as a user does it in the workbench: right-click the attached board, take the images the local
// cloud emulator offers, confirm the erase in the modal dialog, watch the progress notification climb (in the
// notification centre: this workbench does not pop it up as a toast), and see the board come back with the new OS
// version. Screenshots 45–49.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard } from '../../emulator/board';
import type { LocalServices } from '../harness/code-server.mjs' with { 'resolution-mode': 'import' };
import { harness, openSphereContainer, openWorkbench, runFromPalette, screenshot, trustEmulatorKey, type Workbench, screenshotIfFailed, runFromContextMenu } from './workbench';

const pane = (page: Page, title: string) => page.locator('.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: title }) });

describe('UI: recovering the attached board with progress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-recover-'));
  const registryDir = join(dir, 'registry');
  let services: LocalServices;
  let board: SimulatedBoard;
  let wb: Workbench;

  before(async () => {
    const h = await harness();
    const { startLocalServices } = await import('../harness/local-services.mjs');
    services = await startLocalServices({ stateDir: join(dir, 'services'), emulatorPort: await h.freePort() });
    board = await startSimulatedBoard({ linkPath: join(dir, 'ttyBoard'), stateDir: join(dir, 'state'), registryDir, name: 'Simulated MT3620' });
    // The cloud settings point at the emulator, so Recover Device offers the emulator's image set for download.
    wb = await openWorkbench({
      env: { SPHERE_SIM_REGISTRY: registryDir },
      settings: { ...services.settings, 'workbench.startupEditor': 'none', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
      chromiumArgs: [trustEmulatorKey(join(dir, 'services'))],
    });
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => {
    await wb?.close();
    await board?.stop();
    await services?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recovers the board from its context menu: images, confirmation, progress notification, new OS version', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    const short = board.deviceId.slice(0, 8).toUpperCase();
    const row = pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` });
    await row.filter({ hasText: 'OS 24.10' }).waitFor({ timeout: 60_000 });
    await screenshot(page, '45-recover-board-before');

    await runFromContextMenu(page, row, 'Recover Device…');
    const download = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Download the recovery images' });
    await download.waitFor({ timeout: 30_000 });
    await screenshot(page, '46-recover-image-choice');
    await download.click();

    const dialog = page.locator('.monaco-dialog-box', { hasText: 'This erases the board' });
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /Azure Sphere OS 25\.02/);
    await screenshot(page, '47-recover-confirm-erase');
    await dialog.getByRole('button', { name: 'Erase and Recover' }).click();

    // The notification centre (the bell), where the progress notification stays while the recovery runs.
    await runFromPalette(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.locator('.notification-list-item-message', { hasText: /^Recovering .*: [3-8]\d% · Sent \d of 9 images\. \(\d+ of \d+ bytes remaining\)/ }).waitFor({ timeout: 60_000 });
    await row.filter({ hasText: /recovering… \d+%/ }).waitFor({ timeout: 5_000 });
    await screenshot(page, '48-recover-progress');

    await row.filter({ hasText: 'OS 25.02' }).waitFor({ timeout: 90_000 });
    // As a toast, or in the centre if it is still open (it closes by itself once the progress is gone and it is empty).
    await page.locator('.notification-list-item-message', { hasText: /^Device recovered successfully: .* runs Azure Sphere OS 25\.02\./ }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, '49-recover-done');
    assert.equal(board.state.osVersion, '25.02');
    assert.equal(board.recoveries, 1);
  });
});
