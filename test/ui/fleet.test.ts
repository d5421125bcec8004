// The tenant's fleet as an administrator meets it in the workbench: under the tenant its Users, Products (groups with
// device counts and settings) and Images; Create Product from the Products menu, a bad name refused as it is typed;
// an image package uploaded from the Explorer's menu; a deployment made from a group's menu with the images picked.
// Then a catalog (Azure Sphere Integrated, over ARM): its Products and Images, a product created there with the ARM
// name rule speaking as it is typed, and the choice of where catalogs are listed from. Screenshots 80–89.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SEED } from '../../emulator/cloud';
import { productionPackage } from '../helpers/app-packages';
import { call, tokenFor } from '../helpers/cloud-emulator';
import { openSphereContainer, pane, runFromContextMenu, screenshot, signInThroughBrowser, waitForNotification, widenSideBar, workbenchOnEmulatorPerSuite } from './workbench';

const AVERY = SEED.users.avery.email;
const CONTOSO = SEED.tenants.contoso;
const APP = '3c9e1f2a-4b5d-4e6f-8a7b-9c0d1e2f3a4b';

describe('UI: the tenant’s fleet — products, groups, images, deployments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-fleet-'));
  const files = join(dir, 'files');
  const accounts = (page: Page) => pane(page, 'Accounts & Tenants');
  const row = (page: Page, text: string | RegExp) => accounts(page).locator('.monaco-list-row', { hasText: text });
  const rowLabelled = (page: Page, label: string) => accounts(page).locator(`.monaco-list-row[aria-label^="${label}"]`);
  const expand = async (_page: Page, r: ReturnType<typeof row>) => {
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.locator('.monaco-tl-twistie').click();
  };
  const input = (page: Page) => page.locator('.quick-input-widget input');
  const suite = workbenchOnEmulatorPerSuite({
    dir,
    folder: files,
    emulator: { operationDelayMs: 800 },
    prepare: async (emu) => {
      mkdirSync(files, { recursive: true });
      writeFileSync(join(files, 'ThermostatApp.imagepackage'), productionPackage(APP, { name: 'ThermostatApp' }));
      // Two of the seeded devices in the thermostat's Field Test group, so counts show.
      const token = await tokenFor(emu, AVERY);
      for (const id of SEED.claimedDeviceIds) {
        const moved = await call(emu, `/v2/tenants/${CONTOSO.id}/devices/${id}/devicegroup`, { method: 'PUT', token, body: JSON.stringify(SEED.products.thermostat.groups.fieldTest), headers: { 'content-type': 'application/json' } });
        assert.ok(moved.status < 300, moved.text);
      }
      return undefined;
    },
  });

  it('shows the tenant’s Users, Products with their groups, and Images', async () => {
    const { page } = suite.wb;
    await openSphereContainer(page);
    await widenSideBar(page, 280);
    // This is the Accounts view's test: the other two views are folded away to give it the height.
    for (const title of ['Devices', 'Wi-Fi Networks']) await page.locator('.sidebar .pane-header', { hasText: title }).first().click();
    await signInThroughBrowser(page, AVERY);
    const tenant = rowLabelled(page, CONTOSO.name);
    await tenant.waitFor({ timeout: 60_000 });
    await expand(page, tenant);
    await expand(page, rowLabelled(page, 'Products'));
    await expand(page, rowLabelled(page, 'Contoso Thermostat'));
    await row(page, /Field Test\s*2 devices · Retail OS · all updates/).waitFor({ timeout: 30_000 });
    await screenshot(page, '80-fleet-products-and-groups');
  });

  it('creates a product from the Products menu; a bad name is refused as it is typed', async () => {
    const { page } = suite.wb;
    await runFromContextMenu(page, rowLabelled(page, 'Products'), 'Create Product…');
    await input(page).waitFor();
    await input(page).fill('Lab/Sensors');
    await page.locator('.quick-input-message', { hasText: 'names can only contain letters, digits and spaces' }).waitFor();
    await screenshot(page, '81-fleet-bad-product-name');
    await input(page).fill('Lab Sensors');
    // The name is validated as typed: Enter is taken only once the message for the bad name is gone.
    await page.locator('.quick-input-message', { hasText: 'names can only contain' }).waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    // Each next box replaces the last one: type only once it is there, or the text lands in the closing box.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Description of Lab Sensors' }).waitFor();
    await input(page).fill('Sensors in the lab');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'With the five default device groups' }).click();
    await expand(page, rowLabelled(page, 'Lab Sensors'));
    await row(page, /Field Test OS Evaluation\s*0 devices · Retail Evaluation OS/).waitFor({ timeout: 30_000 });
    await screenshot(page, '82-fleet-product-created');
  });

  it('uploads an image package from the Explorer’s menu, and lists it under Images', async () => {
    const { page } = suite.wb;
    await page.keyboard.press('Control+Shift+E');
    const file = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'ThermostatApp.imagepackage' });
    await file.waitFor({ timeout: 30_000 });
    await runFromContextMenu(page, file, 'Upload Image Package to Azure Sphere…');
    // No tenant is selected yet: the person is asked which.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: CONTOSO.name }).click();
    await waitForNotification(page, /Uploaded image "ThermostatApp" \(Applications\) to Contoso Tenant/, 60_000);
    await openSphereContainer(page);
    await expand(page, rowLabelled(page, 'Images'));
    await row(page, /ThermostatApp\s*Applications · component 3c9e1f2a…/).waitFor({ timeout: 30_000 });
    await screenshot(page, '83-fleet-image-uploaded');
  });

  it('deploys the image to a group from its menu, picking the images, and shows the deployment', async () => {
    const { page } = suite.wb;
    const fieldTest = rowLabelled(page, 'Field Test 2 devices');
    await fieldTest.click({ button: 'right' });
    await page.locator('.context-view .monaco-menu .action-item', { hasText: 'Create Deployment…' }).hover();
    await screenshot(page, '84-fleet-group-menu');
    await page.keyboard.press('Enter');
    const item = page.locator('.quick-input-list .monaco-list-row', { hasText: 'ThermostatApp' });
    await item.waitFor({ timeout: 30_000 });
    await item.locator('.monaco-checkbox, input[type=checkbox]').first().click();
    await screenshot(page, '85-fleet-pick-images');
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' }).click();
    await waitForNotification(page, /Deployed ThermostatApp to "Field Test"/, 60_000);
    await expand(page, rowLabelled(page, 'Field Test 2 devices'));
    const deployments = accounts(page).locator('.monaco-list-row', { hasText: /Deployments\s*current: 1 image/ });
    await deployments.waitFor({ timeout: 60_000 });
    await expand(page, deployments.first());
    await row(page, /ThermostatApp\s*current ·/).waitFor({ timeout: 30_000 });
    await screenshot(page, '86-fleet-deployment');
  });

  it('works on a catalog the same way: a product created under contoso-lab, the ARM name rule said as it is typed', async () => {
    const { page } = suite.wb;
    await expand(page, rowLabelled(page, CONTOSO.name)).catch(() => undefined);
    // Fold the tenant away: the catalog's rows are the subject now.
    const tenant = rowLabelled(page, CONTOSO.name);
    if ((await tenant.getAttribute('aria-expanded')) === 'true') await tenant.locator('.monaco-tl-twistie').click();
    const lab = rowLabelled(page, 'contoso-lab');
    await lab.waitFor({ timeout: 30_000 });
    await expand(page, lab);
    const products = accounts(page).locator('.monaco-list-row[aria-level="3"]', { hasText: 'Products' }).last();
    await expand(page, products);
    await row(page, 'No products yet — Create Product…').click();
    await input(page).waitFor();
    await input(page).fill('Lab#Sensors');
    await page.locator('.quick-input-message', { hasText: 'must be 3–50 letters, digits' }).waitFor();
    await screenshot(page, '87-catalog-bad-product-name');
    await input(page).fill('Lab Sensors');
    await page.locator('.quick-input-message', { hasText: 'must be 3–50' }).waitFor({ state: 'hidden' });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Description of Lab Sensors' }).waitFor();
    await input(page).fill('Sensors in the lab, as a catalog holds them');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'With the five default device groups' }).click();
    await waitForNotification(page, /Creating product "Lab Sensors" in contoso-lab/, 30_000).catch(() => undefined);
    const created = accounts(page).locator('.monaco-list-row[aria-level="4"]', { hasText: 'Lab Sensors' });
    await created.waitFor({ timeout: 60_000 });
    await expand(page, created);
    await row(page, /Production OS Evaluation\s*0 devices · Retail Evaluation OS/).last().waitFor({ timeout: 30_000 });
    await screenshot(page, '88-catalog-product-created');
  });

  it('chooses where catalogs are listed from, from the view’s title bar', async () => {
    const { page } = suite.wb;
    await accounts(page).hover();
    await page.locator('.pane-header .action-label[aria-label="Choose Subscription and Resource Group for Catalogs…"]').click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Contoso IoT' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '89-catalog-location-picker');
    await page.keyboard.press('Escape');
  });
});
