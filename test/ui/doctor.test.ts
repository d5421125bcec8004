// The Connection Doctor as a user meets it in the real workbench (Chromium): from the board's context menu in the
// Devices view, every check passing on a healthy board; then the board's UART at another baud rate — the report fills
// in step by step, names the mismatch and the setting to change, and copies as text.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard } from '../../emulator/board';
import { openSphereContainer, openWorkbench, screenshot, webviewFrame, type Workbench, screenshotIfFailed } from './workbench';

const pane = (page: Page, title: string) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });

describe('UI: Troubleshoot Connection (the connection doctor)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-doctor-'));
  const registryDir = join(dir, 'registry');
  let board: SimulatedBoard;
  let wb: Workbench;
  let frame: Frame;

  before(async () => {
    board = await startSimulatedBoard({ linkPath: join(dir, 'ttyBoard'), stateDir: join(dir, 'state'), registryDir, name: 'Simulated MT3620' });
    wb = await openWorkbench({
      env: { SPHERE_SIM_REGISTRY: registryDir },
      settings: { 'workbench.startupEditor': 'none', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
    });
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => {
    await wb?.close();
    await board?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from the board\'s context menu and shows every layer passing', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    const short = board.deviceId.slice(0, 8).toUpperCase();
    const row = pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` });
    await row.filter({ hasText: 'OS 24.10' }).waitFor({ timeout: 60_000 });
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-label', { hasText: 'Troubleshoot Connection' });
    await item.waitFor();
    await screenshot(page, '40-doctor-context-menu');
    await item.click();

    frame = await webviewFrame(page, 'main[data-entry="doctor"]');
    await frame.locator('.notice', { hasText: 'Every check passed.' }).waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('.check-pass').count(), 6);
    assert.ok(await page.locator('.tab', { hasText: 'Connection Doctor: Simulated MT3620' }).isVisible());
    await screenshot(page, '41-doctor-all-passed');
  });

  it('names a baud-rate mismatch at the serial line, shows it while it runs, and copies the report', async () => {
    const { page } = wb;
    board.setFaults({ actualBaud: 115200 });
    try {
      await frame.locator('vscode-button', { hasText: 'Run again' }).click();
      // The serial line waits for answers and tries other rates: the page shows that step as running meanwhile.
      await frame.locator('.check-running[data-check="line"]').waitFor({ timeout: 30_000 });
      assert.equal(await frame.locator('.check-pass[data-check="port"]').count(), 1);
      await screenshot(page, '42-doctor-running');

      const finding = frame.locator('.notice-error', { hasText: 'The connection fails at "Serial line' });
      await finding.waitFor({ timeout: 60_000 });
      // A simulated board announces its rate, so the advice is about the simulator, not the baud-rate setting.
      assert.match(await finding.innerText(), /the board answers at 115200 baud\.\s+Next: The simulated board's UART runs at 115200 baud but announces 921600/);
      assert.equal(await frame.locator('.check-skipped').count(), 3);
      await frame.locator('[data-check="line"] details summary').click();
      await screenshot(page, '43-doctor-baud-mismatch');

      await frame.locator('vscode-button', { hasText: 'Copy report' }).click();
      await frame.locator('.doctor-notice', { hasText: 'Report copied to the clipboard.' }).waitFor({ timeout: 15_000 });
      await screenshot(page, '44-doctor-report-copied');
    } finally {
      board.setFaults({ actualBaud: null });
    }
  });
});
