import * as assert from 'node:assert/strict';
import { openSphereContainer, openWorkbench, runFromPalette, screenshot, waitForOutputLine, type Workbench, screenshotIfFailed } from './workbench';

describe('UI: the Azure Sphere container in the workbench', () => {
  let wb: Workbench;
  before(async () => (wb = await openWorkbench()));
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => wb?.close());

  it('opens from the activity bar and shows the three views with their welcome text', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    const headers = page.locator('.sidebar .pane-header h3.title');
    await headers.filter({ hasText: 'Wi-Fi Networks' }).waitFor();
    const titles = (await headers.allInnerTexts()).map((t) => t.trim().toUpperCase());
    for (const name of ['ACCOUNTS & TENANTS', 'DEVICES', 'WI-FI NETWORKS']) {
      assert.ok(titles.includes(name), `views shown: ${titles.join(', ')}`);
    }
    await page.locator('.sidebar .welcome-view-content', { hasText: 'No board is attached.' }).waitFor();
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Sign in with a work or school account' }).waitFor();
    await screenshot(page, '01-azure-sphere-container');
  });

  it('runs "Azure Sphere: Show Log" from the palette and shows the log', async () => {
    const { page } = wb;
    await runFromPalette(page, 'Azure Sphere: Show Log');
    const line = await waitForOutputLine(page, /\[info\] Sphere Explorer \d+\.\d+\.\d+ activated in \d+\.\d ms/);
    assert.ok(line.startsWith('20'), `a timestamped log line: ${line}`);
    await screenshot(page, '02-show-log-from-palette');
  });
});
