// The certificate-validation wizard through the real workbench in Chromium, as a new user goes through it: the CA
// list, a download through the save dialog, the by-hand path (a malformed code first, then a proof that openssl
// verifies), and the in-one-go path (the hub refusing a stale code, Try Again, Verified); then the same wizard opened
// from a catalog's context menu in the Accounts view (Azure Sphere Integrated). The cloud emulator runs in this
// process so the test can play the colleague who regenerates the code in the portal at the wrong moment.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { regenerateCodeBeforeNextVerify } from '../../emulator/cloud/arm';
import { openSphereContainer, pane, runFromContextMenu, runFromPalette, screenshot, signInThroughBrowser, webviewFrame, wizardControls, workbenchOnEmulatorPerSuite } from './workbench';

const TITLE = 'Azure Sphere: Validate CA Certificate with IoT Hub / DPS…';

describe('UI: validating the tenant CA certificate with IoT Hub / DPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-cert-'));
  const files = join(dir, 'files');
  let frame: Frame;
  let caFile: string;

  /**
   * Answers the workbench's save dialog (in code-server a quick input holding the path, opened in the workspace
   * folder — here `files` — with the wizard's suggested name) by accepting the suggestion; returns the file name.
   */
  async function acceptSaveDialog(page: Page, shot?: string): Promise<string> {
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 30_000 });
    // The dialog fills in the suggested path a moment after it shows: first the folder, then the file name.
    await page.waitForFunction((el) => /\/[^/]+\.[a-z0-9]+$/.test((el as unknown as { value: string }).value ?? ''), await input.elementHandle(), { timeout: 30_000 });
    const value = await input.inputValue();
    if (shot) await screenshot(page, shot);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    return value.replace(/^.*\//, '');
  }

  const { button, heading } = wizardControls(() => frame);

  const suite = workbenchOnEmulatorPerSuite({ dir, folder: files, prepare: async () => (mkdirSync(files, { recursive: true }), undefined) });

  it('opens on the selected tenant with its CA listed, and saves the CA as .pem where the user chooses', async () => {
    const { page } = suite.wb;
    await openSphereContainer(page);
    await signInThroughBrowser(page, 'avery@contoso.com');
    await runFromPalette(page, 'Azure Sphere: Select Tenant', 60_000, { opensQuickPick: true });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Contoso Tenant' }).first().click();
    await page.locator('.sidebar .monaco-list-row', { hasText: 'Contoso Tenant' }).filter({ hasText: 'selected' }).waitFor({ timeout: 15_000 });

    await runFromPalette(page, TITLE);
    frame = await webviewFrame(page, 'main[data-entry="certificate"]');
    await frame.locator('vscode-radio', { hasText: /^[0-9A-F]{40}/ }).filter({ hasText: 'Active' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '30-cert-ca-list');

    await button('Save as .pem').click();
    caFile = await acceptSaveDialog(page, '31-cert-save-dialog');
    assert.match(caFile, /^Contoso-Tenant-CA-[0-9A-F]{8}\.pem$/);
    await frame.locator('.files', { hasText: caFile }).waitFor();
    assert.match(execFileSync('openssl', ['x509', '-in', join(files, caFile), '-noout', '-subject']).toString(), /Microsoft Azure Sphere/);
  });

  it('by hand: explains a malformed code, then saves a proof that openssl verifies against the downloaded CA', async () => {
    const { page } = suite.wb;
    await button('Next').click();
    await heading('How do you want to prove possession?').waitFor();
    await frame.locator('vscode-radio', { hasText: 'By hand' }).click();
    await screenshot(page, '32-cert-choose-path');
    await button('Next').click();
    await heading('Get the proof for your verification code').waitFor();

    const field = frame.locator('vscode-text-field[data-key="code"] input');
    await field.fill('47292AB6260DB02CCD2D07C6O1B7303DD49858B6');
    await frame.locator('.notice-error', { hasText: 'the letter "O" (the digit 0 is meant?) at position 25' }).waitFor();
    assert.equal(await button('Get Proof and Save').getAttribute('disabled'), '');
    await screenshot(page, '33-cert-malformed-code');

    await field.fill('47292AB6260DB02CCD2D07C601B7303DD49858B6');
    await frame.locator('.notice-error').waitFor({ state: 'detached' });
    await button('Get Proof and Save').click();
    const proofFile = await acceptSaveDialog(page);
    assert.equal(proofFile, 'proof-47292AB6.cer');
    await heading('Proof saved and checked').waitFor({ timeout: 30_000 });
    await screenshot(page, '34-cert-by-hand-proof-checked');
    const verified = execFileSync('openssl', ['verify', '-partial_chain', '-CAfile', join(files, caFile), join(files, proofFile)]).toString();
    assert.match(verified, /proof-47292AB6\.cer: OK/);

    await button('Finish').click();
    await heading('Summary').waitFor();
    await frame.locator('.files', { hasText: 'proof-47292AB6.cer' }).waitFor();
    await screenshot(page, '35-cert-summary-by-hand');
  });

  it('in one go: the hub refuses a stale code, Try Again ends with the hub showing Verified', async () => {
    const { page } = suite.wb;
    await button('Start Over').click();
    await heading('The tenant’s CA certificates').waitFor();
    await button('Next').click();
    await frame.locator('vscode-radio', { hasText: 'In one go' }).click();
    await button('Next').click();
    await heading('Choose the IoT hub or DPS').waitFor();
    await frame.locator('vscode-radio', { hasText: 'contoso-dps' }).waitFor({ timeout: 30_000 });
    const name = await frame.locator('vscode-text-field[data-key="certName"] input').inputValue();
    assert.match(name, /^Contoso-Tenant-CA-[0-9A-F]{8}$/);
    await screenshot(page, '36-cert-pick-hub');

    regenerateCodeBeforeNextVerify('contoso-hub', name); // a colleague presses "Generate Verification Code" meanwhile
    await button('Upload and Verify').click();
    await frame.locator('.notice-error', { hasText: 'contoso-hub refused the proof' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '37-cert-proof-refused');

    await button('Try Again').click();
    await heading('contoso-hub shows the certificate Verified').waitFor({ timeout: 30_000 });
    await screenshot(page, '38-cert-hub-verified');

    await button('Finish').click();
    await heading('Summary').waitFor();
    await frame.locator('.done-list', { hasText: 'contoso-hub' }).waitFor();
    await screenshot(page, '39-cert-summary');
  });
  it('opens on a catalog from its context menu: the catalog’s own CA, by thumbprint with its serial number, in a catalog’s words', async () => {
    const { page } = suite.wb;
    const catalogRow = pane(page, 'Accounts & Tenants').locator('.monaco-list-row[aria-label^="contoso-lab"]');
    await catalogRow.waitFor({ timeout: 30_000 });
    await runFromContextMenu(page, catalogRow, 'Validate CA Certificate');
    frame = await webviewFrame(page, 'main[data-entry="certificate"]');
    await frame.locator('p.subtitle', { hasText: 'Catalog: contoso-lab' }).waitFor({ timeout: 30_000 });
    await heading('The catalog’s CA certificates').waitFor();
    const ca = frame.locator('vscode-radio', { hasText: /^[0-9A-F]{40}/ }).filter({ hasText: 'Active' });
    await ca.waitFor({ timeout: 30_000 });
    await ca.locator('.ca-serial', { hasText: /^Serial number [0-9A-F]+$/ }).waitFor();
    await frame.locator('h1', { hasText: 'Validate the catalog CA certificate' }).waitFor();
    assert.equal(await frame.locator('.files').count(), 0, 'nothing of the tenant’s page carried over');
    assert.match(await ca.innerText(), /Microsoft Azure Sphere c47a1ab0-5e7d-4d2b-9a51-1f7c2b3d4e10/);
    await screenshot(page, '39b-cert-catalog-ca-list');
  });
});
