import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { SimulatedBoard } from '../../emulator/board';
import {
  contextMenuItem,
  openSphereContainer,
  openWorkbenchWithServices,
  pane,
  RESULTS,
  runFromContextMenu,
  runFromPalette,
  screenshot,
  screenshotIfFailed,
  signInThroughBrowser,
  webviewFrame,
  widenSideBar,
  wizardControls,
  type Workbench,
  type WorkbenchWithServices,
} from './workbench';

const HOME_KEY = 'correct horse battery'; // the simulator's default radio world

/** The workbench's status-bar entry of our Wi-Fi indicator (id sphereExplorer.wifiStatus, prefixed by the extension id). */
const wifiItem = (page: Page) => page.locator('.statusbar-item[id$="sphereExplorer.wifiStatus"]');


async function clip(page: Page, selector: string, name: string): Promise<void> {
  await page.locator(selector).first().screenshot({ path: join(RESULTS, `${name}.png`) });
}

// The seeds' journey as a new user walks it: sign in as a seeded user, create a tenant with the attached board,
// see the board, type its Wi-Fi into the palette, watch the status bar connect, disable the network again.
describe('UI: the journey from sign-in to a board on Wi-Fi, with the status bar', () => {
  let board: SimulatedBoard;
  let wb: Workbench;
  let frame: Frame;
  let fixture: WorkbenchWithServices | undefined;

  before(async () => {
    fixture = await openWorkbenchWithServices(mkdtempSync(join(tmpdir(), 'sphere-ui-journey-')), { wifiTiming: { stepMs: 150, dhcpMs: 300 } });
    ({ wb, board } = fixture);
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(() => fixture?.close());

  it('opens the getting-started walkthrough: only "Attach a board" is done, since the board is plugged in', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    await runFromPalette(page, 'Welcome: Open Walkthrough...', 60_000, { opensQuickPick: true });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Azure Sphere boards' }).click();
    await walkthroughStep(page, 'Sign in with a work or school account').waitFor({ timeout: 30_000 });
    await walkthroughStep(page, 'Attach a board', { done: true }).waitFor({ timeout: 15_000 });
    for (const title of ['Sign in with a work or school account', 'Choose your tenant', 'Connect the board to Wi-Fi']) {
      assert.equal(await walkthroughStep(page, title, { done: true }).count(), 0, `"${title}" is not done yet`);
    }
  });

  it('signs in as a seeded user, and the walkthrough ticks its first step', async () => {
    const { page } = wb;
    await widenSideBar(page, 180);
    await signInThroughBrowser(page, 'avery@contoso.com');
    await pane(page, 'Accounts').locator('.monaco-list-row[aria-label^="Contoso Tenant"]').waitFor({ timeout: 30_000 });
    await walkthroughStep(page, 'Sign in with a work or school account', { done: true }).waitFor({ timeout: 15_000 });
    await screenshot(page, '53-journey-walkthrough-signed-in');
  });

  it('creates a tenant with the attached board, after confirming the warning that the directory already has one', async () => {
    const { page } = wb;
    const short = board.deviceId.slice(0, 8).toUpperCase();
    // Before any tenant is chosen, the board's row says it is in none of the user's tenants.
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` }).filter({ hasText: 'not in your tenants' }).waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'Azure Sphere: Create Tenant', 60_000, { opensQuickPick: true });
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: `created with board ${short}` }).waitFor();
    await input.fill('Avery Lab');
    await screenshot(page, '50-journey-create-tenant-name');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'already has' });
    await dialog.waitFor({ timeout: 30_000 });
    await screenshot(page, '51-journey-create-tenant-warning');
    await dialog.getByRole('button', { name: 'Create Another Tenant' }).click();
    const created = pane(page, 'Accounts').locator('.monaco-list-row', { hasText: 'Avery Lab' });
    await created.filter({ hasText: 'selected' }).waitFor({ timeout: 30_000 });
    await walkthroughStep(page, 'Choose your tenant', { done: true }).waitFor({ timeout: 15_000 });
    await screenshot(page, '52-journey-tenant-created-and-selected');
  });

  it('shows the attached board in the Devices view: short device ID, port, OS version, security state', async () => {
    const { page } = wb;
    const short = board.deviceId.slice(0, 8).toUpperCase();
    const row = pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` });
    await row.filter({ hasText: 'OS 24.10' }).waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /SECURE/);
    await row.click(); // selects it (its command); the twistie expands it: interfaces and certificate store
    await row.locator('.monaco-tl-twistie').click();
    const interfaces = pane(page, 'Devices').locator('.monaco-list-row', { hasText: 'Network interfaces' });
    await interfaces.click();
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: 'wlan0' }).filter({ hasText: 'up' }).waitFor();
    await screenshot(page, '10-devices-view-attached-board');
    // With a board selected the indicator is shown (no network configured yet).
    await wifiItem(page).filter({ hasText: 'Wi-Fi disconnected' }).waitFor({ timeout: 30_000 });
  });

  it('claims the board from its context menu through the claim wizard, and the walkthrough ticks the claim step', async () => {
    const { page } = wb;
    const short = board.deviceId.slice(0, 8).toUpperCase();
    const row = pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` });
    await runFromContextMenu(page, row, 'Claim Device…');
    frame = await webviewFrame(page, 'main[data-entry="claim"]');
    const { button, heading, radio } = wizardControls(() => frame);
    await heading('Who and where').waitFor({ timeout: 30_000 });
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'Avery Lab' }).waitFor(); // the selected tenant
    await button('Next').click();
    await radio('Simulated MT3620').filter({ hasText: 'ready to claim' }).waitFor({ timeout: 30_000 });
    await button('Next').click();
    await heading('The point of no return').waitFor();
    await frame.locator('vscode-text-field input').fill('Avery Lab');
    await button('Claim Board').click();
    await frame.getByText('Simulated MT3620 is claimed into Avery Lab').waitFor({ timeout: 30_000 });
    await row.filter({ hasText: 'claimed in Avery Lab' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '55-journey-claimed');
    // A claimed board is not offered for claiming again.
    await row.click({ button: 'right' });
    await contextMenuItem(page, 'Restart Device').waitFor();
    assert.equal(await contextMenuItem(page, 'Claim Device…').count(), 0, 'Claim Device… is not on a claimed board');
    await page.keyboard.press('Escape');
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).click();
    await walkthroughStep(page, 'Claim the board into your tenant', { done: true }).waitFor({ timeout: 15_000 });
    // Back to the wizard's result page (the walkthrough, left in front, takes the focus from quick picks as it
    // moves on to its next step).
    await page.locator('.tabs-container .tab', { hasText: 'Claim Device' }).click();
  });

  it('adds a Wi-Fi network by typing SSID and key into the palette input boxes, refusing bad values as they are typed', async () => {
    const { page } = wb;
    const input = page.locator('.quick-input-widget input');
    const message = page.locator('.quick-input-widget .quick-input-message');
    await runFromPalette(page, 'Azure Sphere: Add Wi-Fi Network…', 60_000, { opensQuickPick: true });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter a network name…' }).click();

    await input.fill('S'.repeat(33));
    await message.filter({ hasText: 'SSID is 33 bytes long; the maximum is 32 bytes (UTF-8).' }).waitFor();
    await screenshot(page, '11-wifi-add-ssid-too-long');
    await page.keyboard.press('Enter'); // refused: the box stays
    await message.filter({ hasText: 'SSID is 33 bytes long' }).waitFor();
    await input.fill('HomeNetwork');
    await page.keyboard.press('Enter');

    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'WPA2-PSK' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Network key for "HomeNetwork"' }).waitFor();
    assert.equal(await input.getAttribute('type'), 'password', 'the key is never echoed');
    await input.fill('short77');
    await message.filter({ hasText: 'PSK is 7 characters long' }).waitFor();
    await screenshot(page, '12-wifi-add-key-too-short');
    assert.equal(board.state.wifi.networks.length, 0, 'nothing was sent while the values were bad');
    await input.fill(HOME_KEY);
    await page.keyboard.press('Enter');

    await waitFor(() => board.state.wifi.networks.length === 1, 'the board stores the network');
    const [network] = board.state.wifi.networks;
    assert.deepEqual([network.ssid, network.securityState, network.configState, network.psk], ['HomeNetwork', 'psk', 'enabled', HOME_KEY]);
  });

  it('turns the status bar to connected with SSID and signal, and the Wi-Fi view shows the network connected', async () => {
    const { page } = wb;
    const item = wifiItem(page);
    await item.filter({ hasText: /HomeNetwork -\d+ dBm/ }).waitFor({ timeout: 30_000 });
    await pane(page, 'Wi-Fi Networks').locator('.monaco-list-row', { hasText: 'HomeNetwork' }).filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
    // wlan0 under the board's network interfaces picks up its leased address.
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: 'wlan0' }).filter({ hasText: '192.168.1.77' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '13-wifi-connected-view-and-status-bar');
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).click();
    await walkthroughStep(page, 'Connect the board to Wi-Fi', { done: true }).waitFor({ timeout: 15_000 });
    await screenshot(page, '54-journey-walkthrough-wifi-done');
    await clip(page, '.statusbar', '14-status-bar-connected');
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: 'Key management: WPA2-PSK' }).first();
    await hover.waitFor({ timeout: 10_000 });
    assert.match(await hover.innerText(), /IP address: \d+\.\d+\.\d+\.\d+/);
    await screenshot(page, '15-status-bar-tooltip');
    await page.mouse.move(700, 400);
  });

  it('disables the network from the quick actions the status bar opens, and the status bar changes back to disconnected', async () => {
    const { page } = wb;
    await wifiItem(page).click();
    const disable = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Disable "HomeNetwork"' });
    await disable.waitFor({ timeout: 30_000 });
    await screenshot(page, '16-status-bar-quick-actions');
    await disable.click();
    await waitFor(() => board.state.wifi.networks[0]?.configState === 'disabled', 'the board has the network disabled');
    await wifiItem(page).filter({ hasText: 'Wi-Fi disconnected' }).waitFor({ timeout: 30_000 });
    await pane(page, 'Wi-Fi Networks').locator('.monaco-list-row', { hasText: 'HomeNetwork' }).filter({ hasText: 'disabled' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '17-wifi-disabled-view-and-status-bar');
    await clip(page, '.statusbar', '18-status-bar-disconnected');
  });

  it('proves the new tenant\'s CA to an IoT hub in one go, and the walkthrough is complete', async () => {
    const { page } = wb;
    await runFromPalette(page, 'Azure Sphere: Validate CA Certificate with IoT Hub / DPS…');
    frame = await webviewFrame(page, 'main[data-entry="certificate"]');
    const { button, heading, radio } = wizardControls(() => frame);
    await heading('The tenant’s CA certificates').waitFor({ timeout: 30_000 });
    await frame.getByText('Tenant: Avery Lab').waitFor();
    await button('Next').click();
    await radio('In one go').click();
    await button('Next').click();
    await radio('contoso-hub').waitFor({ timeout: 30_000 });
    await button('Upload and Verify').click();
    await heading('contoso-hub shows the certificate Verified').waitFor({ timeout: 30_000 });
    await screenshot(page, '56-journey-ca-verified');
    await page.locator('.tabs-container .tab', { hasText: 'Welcome' }).click();
    const last = walkthroughStep(page, 'Prove the tenant CA to IoT Hub or DPS', { done: true });
    await last.waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('.getting-started-step .codicon.complete').count(), 6, 'every step is done');
    await last.scrollIntoViewIfNeeded();
    await screenshot(page, '57-journey-walkthrough-complete');
  });

  it('hides the indicator (and the board in the views) when the board is unplugged', async () => {
    const { page } = wb;
    await board.unplug();
    await wifiItem(page).waitFor({ state: 'hidden', timeout: 30_000 });
    // Signed in with a tenant, the Devices view keeps the tenant's claimed devices; the Attached section goes.
    // The section's own row (its board's rows may say "no longer attached" for the moment before they go).
    await pane(page, 'Devices').locator('.monaco-list-row[aria-level="1"]', { hasText: 'Attached' }).waitFor({ state: 'detached', timeout: 30_000 });
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: 'Claimed in Avery Lab' }).waitFor();
    await pane(page, 'Wi-Fi Networks').locator('.welcome-view-content', { hasText: 'Attach a board' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '19-board-unplugged');
    await board.replug();
  });
});

/** A step of our walkthrough in the Welcome editor; `done` once VS Code ticked it off. */
function walkthroughStep(page: Page, title: string, opts: { done?: boolean } = {}) {
  const step = page.locator('.getting-started-step', { hasText: title });
  return (opts.done ? step.filter({ has: page.locator('.codicon.complete') }) : step).first();
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
