import * as assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalServices } from '../harness/code-server.mjs' with { 'resolution-mode': 'import' };
import { harness, openSphereContainer, openWorkbench, runFromPalette, screenshot, type Workbench } from './workbench';

/**
 * Chromium trusts exactly the emulator's TLS key (by its SPKI hash), as a person would after installing the
 * emulator's CA; nothing else about certificate checking changes. The extension itself trusts the CA through
 * its caFile setting.
 */
function trustEmulatorKey(stateDir: string): string {
  const cert = new X509Certificate(readFileSync(join(stateDir, 'cloud/tls/server.pem')));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

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
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(wb.page, `failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await wb?.close();
    await services?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('signs in through the browser from the welcome view and shows the tenants', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    const welcome = page.locator('.sidebar .welcome-view-content', { hasText: 'Sign in to the local cloud emulator' });
    await welcome.waitFor({ timeout: 30_000 });
    await screenshot(page, '05-accounts-welcome');

    const popup = page.context().waitForEvent('page', { timeout: 30_000 });
    await welcome.getByRole('button', { name: 'Sign In', exact: true }).click();
    const signInPage = await popup;
    // code-server (not a desktop VS Code) rewrites localhost links that extensions open into its own port proxy,
    // /proxy/PORT/…, which speaks plain HTTP to the port; the emulator speaks only HTTPS. A person whose browser runs
    // on the same machine opens the real address instead, and so does this test.
    await signInPage.waitForURL(/./);
    const proxied = /^http:\/\/127\.0\.0\.1:\d+\/proxy\/(\d+)\/(.*)$/.exec(signInPage.url());
    if (proxied) await signInPage.goto(`https://127.0.0.1:${proxied[1]}/${proxied[2]}`);
    const email = signInPage.locator('input[name="login_hint"]');
    await email.waitFor({ timeout: 30_000 }).catch(async (err) => {
      await screenshot(signInPage, 'failed-sign-in-page');
      throw new Error(`the sign-in page (${signInPage.url()}) showed no email field: ${err}`);
    });
    await email.fill('avery@contoso.com');
    await screenshot(signInPage, '06-emulator-sign-in-page');
    await email.press('Enter');
    await signInPage.getByText('Signed in to Sphere Explorer').waitFor({ timeout: 30_000 });
    await signInPage.close();

    const tree = page.locator('.sidebar [id="workbench.view.extension.sphereExplorer"], .sidebar').first();
    await tree.locator('.monaco-list-row', { hasText: 'avery@contoso.com' }).waitFor({ timeout: 30_000 });
    await tree.locator('.monaco-list-row', { hasText: 'Contoso Tenant' }).waitFor();
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
