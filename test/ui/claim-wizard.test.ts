// The claim wizard through the real workbench in Chromium, as a new user goes through it: sign in as a seeded
// Administrator, open "Claim Device…", see the catalogs offered after the tenants, pick tenant and board, mistype the tenant's name, claim, watch the progress,
// see the result and the board claimed in the Devices view, then try the same board for a second tenant and be
// refused. The cloud emulator runs in this process so the test can hold the claim back long enough (a 429 with
// Retry-After, which the client honours) to see the progress step; the board is a simulator only this workbench sees.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard } from '../../emulator/board';
import { SEED, startCloudEmulator, type CloudEmulator } from '../../emulator/cloud';
import { harness, openSphereContainer, openWorkbench, runFromPalette, screenshot, signInThroughBrowser, trustEmulatorKey, webviewFrame, wizardControls, pane, widenSideBar, type Workbench, screenshotIfFailed } from './workbench';

const PAGE = 'main[data-entry="claim"]';

describe('UI: claiming the attached board into a tenant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-claim-'));
  const registryDir = join(dir, 'registry');
  let emu: CloudEmulator;
  let board: SimulatedBoard;
  let wb: Workbench;
  let frame: Frame;

  const { button, heading, radio } = wizardControls(() => frame);

  const pageErrors: string[] = [];

  before(async () => {
    const h = await harness();
    const { cloudSettingsFor } = await import('../harness/local-services.mjs');
    emu = await startCloudEmulator({ port: await h.freePort(), stateDir: join(dir, 'cloud'), seed: true });
    board = await startSimulatedBoard({ linkPath: join(dir, 'ttyBoard'), stateDir: join(dir, 'board'), registryDir, name: 'Simulated MT3620' });
    wb = await openWorkbench({
      env: { SPHERE_SIM_REGISTRY: registryDir },
      settings: {
        ...cloudSettingsFor(emu),
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      chromiumArgs: [trustEmulatorKey(dir)],
    });
    // Errors of our page (every frame's console reaches the page): CSP refusals, failed validation, exceptions.
    // One is expected and harmless: FAST (under the toolkit) probes :focus-visible support by adding an empty
    // <style>, which our CSP refuses (the hash of the empty string); FAST then styles focus with :focus.
    wb.page.on('console', (m) => {
      const where = m.location().url;
      const fromOurPage = /vscode-resource|vscode-cdn|vscode-webview/.test(where);
      const focusVisibleProbe = m.text().includes("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
      if (m.type() === 'error' && fromOurPage && !focusVisibleProbe) pageErrors.push(`${m.text()} (${where}:${m.location().lineNumber})`);
    });
  });
  afterEach(async function () {
    assert.deepEqual(pageErrors.splice(0), [], 'the page logged errors');
    await screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => {
    await wb?.close();
    await board?.stop();
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens from the palette on who and where: the signed-in account and the tenant, switchable', async () => {
    const { page } = wb;
    await openSphereContainer(page);
    await signInThroughBrowser(page, SEED.users.avery.email);
    const short = board.deviceId.slice(0, 8).toUpperCase();
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` }).filter({ hasText: 'not in your tenants' }).waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'Azure Sphere: Claim Device…');
    frame = await webviewFrame(page, PAGE);
    await heading('Who and where').waitFor({ timeout: 30_000 });
    await frame.getByText(`Avery Howard (${SEED.users.avery.email})`).waitFor();
    await radio('Contoso Fleet').click();
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'Contoso Fleet' }).waitFor();
    await radio('Contoso Tenant').click();
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'Contoso Tenant' }).waitFor();
    await screenshot(page, '20-claim-who-and-where');
  });

  it('offers the catalogs after the tenants, each saying what it is; a catalog without products takes the board into the catalog only', async () => {
    const { page } = wb;
    await radio('contoso-lab').click();
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'contoso-lab' }).waitFor();
    await frame.locator('h3', { hasText: 'Where in contoso-lab (optional)' }).waitFor({ timeout: 30_000 });
    await frame.getByText('contoso-lab has no products yet, so the board goes into the catalog only').waitFor();
    assert.match(await radio('contoso-lab').innerText(), /catalog · resource group sphere-catalogs/);
    assert.match(await radio('Contoso Tenant').innerText(), /tenant · Administrator/);
    assert.equal(await button('Next').getAttribute('disabled'), null, 'the catalog only is enough to go on');
    await screenshot(page, '20b-claim-catalog-choice');
    await radio('Contoso Tenant').click();
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'Contoso Tenant' }).waitFor();
    await frame.getByText('Where in contoso-lab (optional)').waitFor({ state: 'detached' });
  });

  it('lists the attached board with device ID, security state and OS version, ready to claim', async () => {
    const { page } = wb;
    await radio('Contoso Tenant').focus();
    await page.keyboard.press('Enter'); // Enter on the list goes on, as Next does
    await heading('Which board').waitFor();
    await button('Back').click();
    await heading('Who and where').waitFor();
    await button('Next').click();
    await heading('Which board').waitFor();
    const row = radio('Simulated MT3620');
    await row.filter({ hasText: 'ready to claim' }).waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.ok(text.includes(board.deviceId), 'the full device ID is shown');
    assert.match(text, /Security state SECURE · OS 24\.10/);
    await screenshot(page, '21-claim-which-board');
  });

  it('the point of no return asks for the tenant\'s name, and a wrong one is refused with nothing sent', async () => {
    const { page } = wb;
    await button('Next').click();
    await heading('The point of no return').waitFor();
    await frame.getByText('Claiming is permanent').waitFor();
    await screenshot(page, '22-claim-point-of-no-return');
    const field = frame.locator('vscode-text-field input');
    await field.fill('Contoso Tenat');
    await field.press('Enter'); // Enter in the field confirms, as a keyboard user expects
    await frame.getByText('"Contoso Tenat" is not the name of the tenant you are claiming into').waitFor();
    assert.equal(await frame.locator('vscode-text-field').getAttribute('aria-invalid'), 'true');
    await screenshot(page, '23-claim-wrong-tenant-name');
    // Nothing reached the service: the board is still not in the tenant.
    await pane(page, 'Devices').locator('.monaco-list-row', { hasText: 'not in your tenants' }).waitFor();
  });

  it('shows progress while the service runs the claim, then the result with next steps', async () => {
    const { page } = wb;
    // The service answers "busy, retry in 3 s" once: long enough to see the progress step.
    emu.testHooks.throttleNext(1, 3, `/v2/tenants/${SEED.tenants.contoso.id}/devices/`);
    const field = frame.locator('vscode-text-field input');
    await field.fill('Contoso Tenant');
    await button('Claim Board').click();
    await heading('Claiming').waitFor({ timeout: 10_000 });
    await frame.locator('vscode-progress-ring').waitFor();
    await screenshot(page, '24-claim-progress');
    await heading('Claimed').waitFor({ timeout: 30_000 });
    await frame.getByText('Simulated MT3620 is claimed into Contoso Tenant').waitFor();
    await button('Set Up Wi-Fi').waitFor();
    await screenshot(page, '25-claim-result-next-steps');
    const short = board.deviceId.slice(0, 8).toUpperCase();
    const row = pane(page, 'Devices').locator('.monaco-list-row', { hasText: `${short}…` }).filter({ hasText: 'claimed in Contoso Tenant' });
    await row.waitFor({ timeout: 30_000 });
    await widenSideBar(page, 260);
    await screenshot(page, '26-claim-devices-view-claimed');
  });

  it('the same board is refused for a second tenant: it is claimed elsewhere', async () => {
    const { page } = wb;
    await button('Claim Another Board').click();
    await heading('Which board').waitFor();
    await button('Back').click();
    await heading('Who and where').waitFor();
    await radio('Contoso Fleet').click();
    await button('Next').click();
    await heading('Which board').waitFor();
    await radio('Simulated MT3620').click();
    await frame.getByText('cannot be claimed into Contoso Fleet').waitFor({ timeout: 30_000 });
    await frame.getByText('Already claimed into Contoso Tenant. A claimed board can never move to another tenant').first().waitFor();
    assert.equal(await button('Next').getAttribute('disabled'), '', 'Next is disabled');
    await screenshot(page, '27-claim-board-claimed-elsewhere');
  });

  it('keeps its place when the tab is hidden and shown again', async () => {
    const { page } = wb;
    await runFromPalette(page, 'File: New Untitled Text File'); // hides the wizard's tab: its page is dropped
    await page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();
    await page.locator('.tabs-container .tab', { hasText: 'Claim Device' }).click();
    frame = await webviewFrame(page, PAGE);
    await heading('Which board').waitFor({ timeout: 30_000 });
    await frame.getByText('Claiming into Contoso Fleet').waitFor();
    await frame.locator('vscode-radio[aria-checked="true"]', { hasText: 'Simulated MT3620' }).waitFor();
    await screenshot(page, '28-claim-shown-again');
  });
});
