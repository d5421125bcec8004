import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalServices } from '../harness/code-server.mjs' with { 'resolution-mode': 'import' };
import { harness, openSphereContainer, openWorkbench, runFromPalette, screenshot, signInThroughBrowser, trustEmulatorKey, type Workbench, screenshotIfFailed } from './workbench';

describe('UI: signing in as a new user would, and choosing a tenant', () => {
  let services: LocalServices;
  let wb: Workbench;
  const stateDir = mkdtempSync(join(tmpdir(), 'sphere-ui-accounts-'));

  before(async () => {
    const h = await harness();
    const { startLocalServices } = await import('../harness/local-services.mjs');
    services = await startLocalServices({ stateDir, emulatorPort: await h.freePort() });
    wb = await openWorkbench({ settings: { ...services.settings, 'workbench.startupEditor': 'none' }, chromiumArgs: [trustEmulatorKey(stateDir)] });
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => {
    await wb?.close();
    await services?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('signs in through the browser from the welcome view and shows the tenants', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    await page.locator('.sidebar .welcome-view-content', { hasText: 'Sign in to the local cloud emulator' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '05-accounts-welcome');
    await signInThroughBrowser(page, 'avery@contoso.com', (signInPage) => screenshot(signInPage, '06-emulator-sign-in-page').then(() => undefined));
    const tree = page.locator('.sidebar [id="workbench.view.extension.sphereExplorer"], .sidebar').first();
    await tree.locator('.monaco-list-row', { hasText: 'avery@contoso.com' }).waitFor({ timeout: 30_000 });
    await tree.locator('.monaco-list-row[aria-label^="Contoso Tenant"]').waitFor();
    await tree.locator('.monaco-list-row', { hasText: 'Contoso Fleet' }).waitFor();
    await screenshot(page, '07-accounts-signed-in');
  });

  it('selects a tenant from the palette and marks it in the tree', async () => {
    const { page } = wb;
    await runFromPalette(page, 'Azure Sphere: Select Tenant', 60_000, { opensQuickPick: true });
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Contoso Tenant' }).first();
    await row.waitFor();
    await screenshot(page, '08-select-tenant-quick-pick');
    await row.click();
    const selected = page.locator('.sidebar .monaco-list-row', { hasText: 'Contoso Tenant' }).filter({ hasText: 'selected' });
    await selected.waitFor({ timeout: 15_000 });
    assert.ok(await selected.isVisible());
    await screenshot(page, '09-tenant-selected');
  });
});
