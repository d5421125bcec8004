// Drives the real workbench (code-server in headless Chromium) the way a user does, for the UI tests.
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Locator, Page } from 'playwright-core';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions } from '../../emulator/board';
import type { CodeServer, LocalServices, StartOptions } from '../harness/code-server.mjs' with { 'resolution-mode': 'import' };
import { startCloudEmulator, type CloudEmulator, type CloudEmulatorOptions } from '../../emulator/cloud';

export const ROOT = join(__dirname, '../..');
export const RESULTS = join(ROOT, 'test-results/ui');

type Harness = typeof import('../harness/code-server.mjs', { with: { 'resolution-mode': 'import' } });
export const harness = (): Promise<Harness> => import('../harness/code-server.mjs');

export interface Workbench {
  server: CodeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Starts code-server and opens its workbench in Chromium, with this repo as a development extension unless `installed`. */
export async function openWorkbench(opts: StartOptions & { installed?: boolean; chromiumArgs?: string[] } = {}): Promise<Workbench> {
  const h = await harness();
  // Simulated boards announce themselves in a registry folder; each workbench gets an empty one unless the test
  // brings its own board, so boards of other runs never show up (or get their serial port locked) here.
  const registry = mkdtempSync(join(tmpdir(), 'sphere-ui-registry-'));
  const server = await h.startCodeServer({
    folder: join(ROOT, 'test/fixtures/workspace'),
    ...opts,
    env: { SPHERE_SIM_REGISTRY: registry, ...opts.env },
    // The fixture workspace lives inside this repository: without this, Git's "open the parent repository?" prompt
    // sits in every screenshot's corner.
    settings: { 'git.openRepositoryInParentFolders': 'never', ...opts.settings },
  });
  let browser: Browser | undefined;
  try {
    browser = await h.launchChromium(opts.chromiumArgs);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const url = h.workbenchUrl(server, opts.installed ? {} : { extensionDevelopmentPath: ROOT });
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor();
    const b = browser;
    return {
      server,
      browser: b,
      page,
      async close() {
        await b.close().catch(() => undefined);
        await server.stop();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    throw err;
  }
}

/** A workbench whose extension sees the local cloud emulator and one simulated board of this test's own. */
export interface WorkbenchWithServices {
  readonly wb: Workbench;
  readonly board: SimulatedBoard;
  readonly services: LocalServices;
  close(): Promise<void>;
}

/**
 * Starts the local cloud emulator (its own board goes to a registry this workbench never sees), a simulated board
 * that only this workbench sees, and the workbench with Chromium trusting the emulator's key. Everything lives in
 * `dir`, which close() removes.
 */
export async function openWorkbenchWithServices(dir: string, board: Partial<SimulatedBoardOptions> = {}): Promise<WorkbenchWithServices> {
  const h = await harness();
  const { startLocalServices } = await import('../harness/local-services.mjs');
  const registryDir = join(dir, 'registry');
  const services = await startLocalServices({ stateDir: join(dir, 'services'), emulatorPort: await h.freePort() });
  let simulated: SimulatedBoard | undefined;
  let wb: Workbench | undefined;
  const close = async () => {
    await wb?.close();
    await simulated?.stop();
    await services.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    simulated = await startSimulatedBoard({ linkPath: join(dir, 'ttyBoard'), stateDir: join(dir, 'state'), registryDir, name: 'Simulated MT3620', ...board });
    // The extension host inherits the server's environment: it sees this test's board and no other.
    wb = await openWorkbench({
      env: { SPHERE_SIM_REGISTRY: registryDir },
      settings: { ...services.settings, 'workbench.startupEditor': 'none', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
      chromiumArgs: [trustEmulatorKey(join(dir, 'services'))],
    });
    return { wb, board: simulated, services, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * The page inside a webview panel, found by a selector only that page has (e.g. `main[data-entry="claim"]`).
 * VS Code nests every webview in two iframes (its host frame, then `active-frame` holding our page); a hidden
 * panel's page is dropped and rebuilt when shown again, so call this again after hiding. A Frame takes locators,
 * keyboard focus and clicks like a Page; `screenshot(page, …)` captures it as part of the workbench.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview showed ${selector} within ${timeoutMs} ms`);
    await page.waitForTimeout(200);
  }
}

/** The usual controls of a wizard page inside a webview frame (the component layer renders toolkit elements). */
export function wizardControls(frame: () => Frame) {
  return {
    button: (label: string) => frame().locator('vscode-button', { hasText: label }),
    heading: (text: string | RegExp) => frame().locator('h2', { hasText: text }),
    radio: (text: string) => frame().locator('vscode-radio', { hasText: text }),
  };
}

/** Widens the side bar by dragging its edge, as a person would, so long rows (where a board is claimed) are readable. */
export async function widenSideBar(page: Page, byPx: number): Promise<void> {
  const bar = await page.locator('.sidebar').boundingBox();
  if (!bar) return;
  await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + bar.width + byPx, bar.y + bar.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** The pane of one of our views in the side bar. */
export function pane(page: Page, title: string) {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: title }) });
}

/** Saves a screenshot named after a failed test (for afterEach hooks). */
export async function screenshotIfFailed(test: Mocha.Test | undefined, page: Page | undefined): Promise<void> {
  if (test?.state === 'failed' && page) await screenshot(page, `failed-${test.title.replace(/\W+/g, '-')}`);
}

/**
 * Runs an entry of a tree row's context menu. Monaco's menu acts on the highlighted entry: point at it, then press
 * Enter as a keyboard user would (a click can land while the menu is still animating).
 */
export async function runFromContextMenu(page: Page, row: Locator, label: string): Promise<void> {
  await row.click({ button: 'right' });
  await contextMenuItem(page, label).hover();
  await page.keyboard.press('Enter');
}

/** An entry of the open context menu. */
export function contextMenuItem(page: Page, label: string): Locator {
  return page.locator('.context-view .monaco-menu .action-item', { hasText: label });
}

/** Opens the Azure Sphere container from the activity bar. */
export async function openSphereContainer(page: Page): Promise<void> {
  const icon = page.locator('.activitybar .action-item a[aria-label^="Azure Sphere"], .activitybar .action-item[aria-label^="Azure Sphere"]').first();
  await icon.waitFor({ timeout: 60_000 });
  const container = page.locator('.sidebar .composite.title h2', { hasText: /Azure Sphere/i });
  if (!(await container.isVisible())) {
    await icon.click();
  }
  await container.waitFor();
}

/**
 * Runs a command from the palette by its title, the way a user types it. Retypes until the command is listed:
 * an installed extension's contributions reach the palette only once its extension host has connected.
 */
export async function runFromPalette(page: Page, title: string, timeoutMs = 60_000, opts: { opensQuickPick?: boolean } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  for (;;) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    if (!(await input.waitFor({ timeout: 3_000 }).then(() => true, () => false)) || !(await editableWithin(input, 3_000))) {
      // The key went where the workbench does not see it (a webview that holds the focus and has not loaded its
      // key forwarding yet; the palette then stays closed, its input present but inert): give the focus back to the
      // workbench, as a person clicking the side bar's title does, and press F1 again.
      if (Date.now() > deadline) throw new Error(`the Command Palette did not open for "${title}"`);
      await page.keyboard.press('Escape');
      await page.locator('.sidebar .composite.title').first().click();
      continue;
    }
    try {
      // The palette can close again right after it opened: a webview page that had the focus re-renders as an update
      // arrives (the claim wizard re-reading the tenants and catalogs after a claim) and the workbench hands the focus
      // back to it. Then the palette is opened again.
      await input.fill(`>${title}`, { timeout: 3_000 });
      await row.waitFor({ timeout: 3_000 });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  if (opts.opensQuickPick) {
    // The command's own quick pick reuses the widget: wait until it no longer shows the palette's ">" query.
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction((el) => !(el as unknown as { value: string }).value.startsWith('>'), await input.elementHandle(), { timeout: 30_000 });
  } else {
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
}

/**
 * Waits for a notification whose text matches `text`: a toast where this workbench pops one up, else the notification
 * centre (the bell), where every notification stays until cleared; the centre is left open.
 */
export async function waitForNotification(page: Page, text: RegExp, timeoutMs = 30_000): Promise<string> {
  const toast = page.locator('.notification-toast .notification-list-item-message', { hasText: text });
  const center = page.locator('.notifications-center .notification-list-item-message', { hasText: text });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const hit of [toast, center]) {
      if (await hit.first().isVisible().catch(() => false)) return hit.first().innerText();
    }
    if (Date.now() > deadline) throw new Error(`no notification matched ${text} within ${timeoutMs} ms`);
    if (!(await page.locator('.notifications-center').isVisible().catch(() => false))) await runFromPalette(page, 'Notifications: Show Notifications');
    await page.waitForTimeout(250);
  }
}

/** True once `input` takes typing (not hidden, disabled or inert), polled for up to `timeoutMs`. */
async function editableWithin(input: Locator, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // An inert subtree takes no typing, though Playwright's isEditable may not say so.
    const takesInput = await input.evaluate((el) => !el.closest('[inert]')).catch(() => false);
    if (takesInput && (await input.isEditable().catch(() => false))) return true;
    await input.page().waitForTimeout(100);
  }
  return false;
}

/** Waits until the Output panel shows a line matching `pattern` (Monaco renders spaces as U+00A0). */
export async function waitForOutputLine(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const lines = page.locator('.part.panel .monaco-editor .view-lines');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = ((await lines.first().innerText().catch(() => '')) || '').replace(/\u00a0/g, ' ');
    const hit = last.split('\n').find((l) => pattern.test(l));
    if (hit) return hit;
    await page.waitForTimeout(250);
  }
  throw new Error(`no output line matched ${pattern} within ${timeoutMs} ms; the panel showed:\n${last}`);
}

/**
 * Chromium trusts exactly the emulator's TLS key (by its SPKI hash), as a person would after installing the
 * emulator's CA; nothing else about certificate checking changes. The extension itself trusts the CA through
 * its caFile setting.
 */
export function trustEmulatorKey(stateDir: string): string {
  const cert = new X509Certificate(readFileSync(join(stateDir, 'cloud/tls/server.pem')));
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  return `--ignore-certificate-errors-spki-list=${createHash('sha256').update(spki).digest('base64')}`;
}

/**
 * Signs in from the Accounts view's welcome button through the emulator's sign-in page, as `email`, and waits
 * for the account in the tree. `onPage` sees the sign-in page before the email is sent (for a screenshot).
 */
export async function signInThroughBrowser(page: Page, email: string, onPage?: (signInPage: Page) => Promise<void>): Promise<void> {
  const welcome = page.locator('.sidebar .welcome-view-content', { hasText: 'Sign in to the local cloud emulator' });
  await welcome.waitFor({ timeout: 30_000 });
  const popup = page.context().waitForEvent('page', { timeout: 30_000 });
  await welcome.getByRole('button', { name: 'Sign In', exact: true }).click();
  const signInPage = await popup;
  // code-server (not a desktop VS Code) rewrites localhost links that extensions open into its own port proxy,
  // /proxy/PORT/…, which speaks plain HTTP to the port; the emulator speaks only HTTPS. A person whose browser runs
  // on the same machine opens the real address instead, and so does this helper.
  await signInPage.waitForURL(/./);
  const proxied = /^http:\/\/127\.0\.0\.1:\d+\/proxy\/(\d+)\/(.*)$/.exec(signInPage.url());
  if (proxied) await signInPage.goto(`https://127.0.0.1:${proxied[1]}/${proxied[2]}`);
  const field = signInPage.locator('input[name="login_hint"]');
  await field.waitFor({ timeout: 30_000 }).catch(async (err) => {
    await screenshot(signInPage, 'failed-sign-in-page');
    throw new Error(`the sign-in page (${signInPage.url()}) showed no email field: ${err}`);
  });
  await field.fill(email);
  await onPage?.(signInPage);
  await field.press('Enter');
  await signInPage.getByText('Signed in to Sphere Explorer').waitFor({ timeout: 30_000 });
  await signInPage.close();
  await page.locator('.sidebar .monaco-list-row', { hasText: email }).waitFor({ timeout: 30_000 });
}

export interface EmulatorSuiteOptions {
  /** The suite's folder (removed after it). */
  readonly dir: string;
  /** The workspace folder the workbench opens (default: the fixture workspace). */
  readonly folder?: string;
  /** Options of the in-process cloud emulator (seeded, state in `dir/cloud`). */
  readonly emulator?: Partial<CloudEmulatorOptions>;
  /** Runs after the emulator starts and before the workbench opens (start a board, claim it…); returns the
   *  simulator registry the workbench should see, if any. */
  readonly prepare?: (emu: CloudEmulator) => Promise<string | undefined>;
  /** Runs after the workbench closed and before the emulator stops (stop the board). */
  readonly cleanup?: () => Promise<void>;
}

/**
 * One describe()'s workbench on an in-process, seeded cloud emulator — the extension's cloud settings point at it and
 * Chromium trusts its key — with a screenshot of any failed test, and everything closed and removed after the suite.
 * Read `emu` and `wb` inside hooks and tests.
 */
export function workbenchOnEmulatorPerSuite(opts: EmulatorSuiteOptions): { readonly emu: CloudEmulator; readonly wb: Workbench } {
  let emu: CloudEmulator | undefined;
  let wb: Workbench | undefined;
  before(async () => {
    const h = await harness();
    const { cloudSettingsFor } = await import('../harness/local-services.mjs');
    const started = await startCloudEmulator({ port: await h.freePort(), stateDir: join(opts.dir, 'cloud'), seed: true, ...opts.emulator });
    emu = started;
    const registryDir = await opts.prepare?.(started);
    wb = await openWorkbench({
      ...(opts.folder && { folder: opts.folder }),
      ...(registryDir && { env: { SPHERE_SIM_REGISTRY: registryDir } }),
      settings: { ...cloudSettingsFor(started), 'workbench.startupEditor': 'none', 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
      chromiumArgs: [trustEmulatorKey(opts.dir)],
    });
  });
  afterEach(function () {
    return screenshotIfFailed(this.currentTest, wb?.page);
  });
  after(async () => {
    await wb?.close();
    await opts.cleanup?.();
    await emu?.close();
    rmSync(opts.dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the suite's ${what} starts in before()`);
    return value;
  };
  return {
    get emu() {
      return started(emu, 'emulator');
    },
    get wb() {
      return started(wb, 'workbench');
    },
  };
}
