// The board on IoT Hub as a developer meets it in the workbench: the board (claimed, on Wi-Fi, with its daily device
// certificate) shows an IoT Hub section; Connect Board to IoT Hub from the board's menu is refused while the tenant
// CA is not verified on the hub, then creates the identity; the outcome offers the sample app for the simulated board
// (deployed after Enable Development); the section says Connected; Monitor Telemetry shows the messages with their
// times, with Stop in the editor title. Screenshots 70–76.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard } from '../../emulator/board';
import { SEED } from '../../emulator/cloud';
import { callBoard } from '../helpers/board-fixture';
import { ARM_SCOPE, call, tokenFor } from '../helpers/cloud-emulator';
import { proveTenantCaOn, type ArmHub } from '../helpers/emulated-iot';
import { openSphereContainer, pane, runFromContextMenu, runFromPalette, screenshot, signInThroughBrowser, waitForNotification, widenSideBar, workbenchOnEmulatorPerSuite } from './workbench';

const AVERY = SEED.users.avery.email;
const CONTOSO = SEED.tenants.contoso;

describe('UI: the board on IoT Hub — identity, sample app, Connected, telemetry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-ui-iot-'));
  let board: SimulatedBoard;
  const hub = { ...SEED.hubs.contosoHub } as ArmHub;
  const devices = (page: Page) => pane(page, 'Devices');
  const boardRow = (page: Page) => devices(page).locator('.monaco-list-row', { hasText: `${board.deviceId.slice(0, 8).toUpperCase()}…` });
  const row = (page: Page, text: string | RegExp) => devices(page).locator('.monaco-list-row', { hasText: text });
  const iotSection = (page: Page) => devices(page).locator('.monaco-list-row[aria-label^="IoT Hub"]');
  const suite = workbenchOnEmulatorPerSuite({
    dir,
    folder: dir,
    prepare: async (emu) => {
      const registryDir = join(dir, 'registry');
      board = await startSimulatedBoard({
        linkPath: join(dir, 'ttyBoard'),
        stateDir: join(dir, 'state'),
        registryDir,
        name: 'Simulated MT3620',
        restartDownMs: 800,
        loopbackPort: 0,
        cloudUrl: emu.url,
        cloudCaPem: emu.caCertPem,
        provisioningHost: emu.provisioningHost,
        attestationTiming: { checkMs: 200, retryMaxMs: 1000 },
        iotTiming: { telemetryIntervalMs: 1000, retryMinMs: 200, retryMaxMs: 2000, connectTimeoutMs: 10_000 },
        log: () => undefined,
      });
      // Claimed into Contoso Tenant and on the coffee shop's Wi-Fi: the board gets its daily device certificate.
      const token = await tokenFor(emu, AVERY);
      assert.ok((await call(emu, `/v2/tenants/${CONTOSO.id}/devices/${board.deviceId.toUpperCase()}/claim`, { method: 'PUT', token })).status < 300);
      const wifi = await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'CoffeeShop', securityState: 'open' } });
      assert.equal(wifi.status, 201, wifi.raw);
      return registryDir;
    },
    cleanup: () => board?.stop(),
  });

  it('shows the IoT Hub section: the device certificate ready, no hub yet', async () => {
    const { page } = suite.wb;
    await openSphereContainer(page);
    await widenSideBar(page, 260);
    await signInThroughBrowser(page, AVERY);
    await boardRow(page).filter({ hasText: 'claimed in Contoso Tenant' }).waitFor({ timeout: 60_000 });
    await boardRow(page).locator('.monaco-tl-twistie').click();
    await iotSection(page).click();
    await row(page, 'Device certificate: ready').waitFor({ timeout: 30_000 });
    await row(page, 'Not connected to an IoT hub').waitFor();
    await screenshot(page, '70-iot-section-certificate-ready');
  });

  it('refuses to connect while the tenant CA is not verified on the hub, saying what to do', async () => {
    const { page } = suite.wb;
    await runFromContextMenu(page, boardRow(page), 'Connect Board to IoT Hub…');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'contoso-hub' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '71-iot-pick-hub');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'contoso-hub' }).click();
    await waitForNotification(page, /not on IoT hub "contoso-hub"; upload and verify it first/);
    await page.locator('.notification-list-item', { hasText: 'not on IoT hub' }).locator('.monaco-button', { hasText: 'Validate CA Certificate…' }).waitFor();
    await screenshot(page, '72-iot-ca-not-verified');
  });

  it('creates the identity once the CA is verified; the outcome offers the sample app for the simulated board', async () => {
    const { page } = suite.wb;
    await proveTenantCaOn(suite.emu, { sphere: await tokenFor(suite.emu, AVERY), arm: await tokenFor(suite.emu, AVERY, ARM_SCOPE) }, hub, CONTOSO.id);
    await runFromContextMenu(page, boardRow(page), 'Enable Development');
    await waitForNotification(page, /is in development mode/, 90_000);
    // The board restarted into development mode; it is back online with its certificate before we go on (the board
    // itself says so: the row may still show what it read before the restart).
    for (const deadline = Date.now() + 60_000; !board.deviceAuthenticationIsReady; ) {
      if (Date.now() > deadline) throw new Error('the board did not get back its device certificate after the restart');
      await page.waitForTimeout(200);
    }
    await runFromContextMenu(page, iotSection(page), 'Connect Board to IoT Hub…');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'contoso-hub' }).click();
    await waitForNotification(page, /now has an identity on IoT hub contoso-hub/);
    await screenshot(page, '73-iot-identity-created');
    await page.locator('.notification-list-item', { hasText: 'now has an identity' }).locator('.monaco-button', { hasText: 'Deploy Sample App' }).click();
    await waitForNotification(page, /AzureIoTSample was deployed to .* and is running/, 60_000);
    await openSphereContainer(page);
    await row(page, /contoso-hub.*Connected · last activity/).waitFor({ timeout: 60_000 });
    await screenshot(page, '74-iot-connected');
    assert.equal(board.iotConnection.state, 'connected');
  });

  it('monitors the board’s telemetry in an editor, with Stop in its title', async () => {
    const { page } = suite.wb;
    await runFromPalette(page, 'Notifications: Clear All Notifications');
    await runFromContextMenu(page, row(page, /contoso-hub.*Connected/), 'Monitor Telemetry');
    const editor = page.locator('.editor-instance .view-lines');
    await editor.locator('.view-line', { hasText: /"temperature"/ }).nth(2).waitFor({ timeout: 30_000 });
    assert.ok(await page.locator('.editor-actions .action-label[aria-label^="Stop Monitoring Telemetry"]').isVisible());
    await screenshot(page, '75-iot-telemetry-monitor');
    await page.locator('.editor-actions .action-label[aria-label^="Stop Monitoring Telemetry"]').click();
    await editor.locator('.view-line', { hasText: 'monitoring stopped' }).waitFor({ timeout: 10_000 });
    await page.locator('.editor-actions .action-label[aria-label^="Resume Monitoring Telemetry"]').waitFor({ timeout: 10_000 });
    await screenshot(page, '76-iot-telemetry-stopped');
  });
});
