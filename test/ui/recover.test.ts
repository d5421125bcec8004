// Recover Device… as a user does it in the workbench: right-click the attached board, take the images the local
// cloud emulator offers, confirm the erase in the modal dialog, watch the progress notification climb (in the
// notification centre: this workbench does not pop it up as a toast), and see the board come back with the new OS
// version. Screenshots 45–49.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulatedBoard } from '../../emulator/board';
import { openSphereContainer, openWorkbenchWithServices, pane, runFromContextMenu, runFromPalette, screenshot, screenshotIfFailed, type Workbench, type WorkbenchWithServices } from './workbench';


describe('UI: recovering the attached board with progress', () => {
  let board: SimulatedBoard;
  let wb: Workbench;
  let fixture: WorkbenchWithServices | undefined;

  // The cloud settings point at the emulator, so Recover Device offers the emulator's image set for download.
  before(async () => {
    fixture = await openWorkbenchWithServices(mkdtempSync(join(tmpdir(), 'sphere-ui-recover-')));
    ({ wb, board } = fixture);
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(() => fixture?.close());

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
    // The notification centre keeps every notification until cleared (a toast may come and go unseen): open it again
    // if it closed by itself once the progress was gone.
    const done = center.locator('.notification-list-item-message', { hasText: /^Device recovered successfully: .* runs Azure Sphere OS 25\.02\./ });
    if (!(await center.isVisible())) await runFromPalette(page, 'Notifications: Show Notifications');
    await done.waitFor({ timeout: 30_000 });
    await screenshot(page, '49-recover-done');
    assert.equal(board.state.osVersion, '25.02');
    assert.equal(board.recoveries, 1);
  });
});
