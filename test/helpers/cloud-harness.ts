// Shared test fixtures for src/cloud against the real cloud emulator over HTTPS on loopback: start/stop with a
// temporary state directory, a scripted "browser" that does what a person's browser does for msal's interactive
// flow (GET the authorize URL, submit the returned form_post to the loopback redirect), and signed-in engines.
import * as http from 'node:http';
import * as https from 'node:https';
import { rmSync } from 'node:fs';
import { startCloudEmulator, type CloudEmulator } from '../../emulator/cloud';
import { ArmCertificateClient } from '../../src/cloud/arm-certificate-client';
import { HttpsTransport } from '../../src/cloud/https-transport';
import type { Logger } from '../../src/common/logger';
import { seededStateDir } from './cloud-emulator';
import { recordingLogger } from './recording-logger';
import { InMemorySecretStore } from '../../src/cloud/secret-store';
import type { CloudSettings } from '../../src/cloud/settings';
import { SphereApiClient } from '../../src/cloud/sphere-api-client';
import { SignInEngine, type DeviceCodeUi } from '../../src/cloud/sign-in-engine';

export interface EmulatorFixture {
  emu: CloudEmulator;
  stateDir: string;
  settings: Partial<CloudSettings>;
  close(): Promise<void>;
}

export async function startEmulator(options: { bulkDevices?: number; tenant?: string } = {}): Promise<EmulatorFixture> {
  const stateDir = await seededStateDir();
  const emu = await startCloudEmulator({ port: 0, stateDir, seed: true, bulkDevices: options.bulkDevices });
  return {
    emu,
    stateDir,
    settings: { authorityHost: emu.url, tenant: options.tenant ?? 'organizations', apiEndpoint: `${emu.url}/v2`, armEndpoint: `${emu.url}/` },
    close: async () => {
      await emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function getHtml(url: string, caPem: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function postForm(action: string, fields: URLSearchParams): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(fields.toString());
  });
}

/**
 * A browser for tests: loads the authorize URL from the emulator and submits the auto-posting form to the action it
 * names (msal's loopback listener), as the page's onload script would. Records every URL it was asked to open.
 */
export class ScriptedBrowser {
  readonly opened: string[] = [];

  constructor(private readonly emu: CloudEmulator) {}

  readonly open = async (url: string): Promise<void> => {
    this.opened.push(url);
    const page = await getHtml(url, this.emu.caCertPem);
    const form = /<form method="POST" action="([^"]+)">([\s\S]*?)<\/form>/.exec(page.body);
    if (!form) throw new Error(`the authorize page had no form (HTTP ${page.status}): ${page.body.slice(0, 200)}`);
    const action = decodeHtml(form[1]!);
    if (!action.startsWith('http://localhost:')) throw new Error(`the form posts to ${action}, not to the loopback redirect`);
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.append(decodeHtml(input[1]!), decodeHtml(input[2]!));
    await postForm(action, fields);
  };
}

/** Everything logged, for asserting that no secret ever reaches a log line. */
export class LogCapture {
  readonly lines: string[] = [];
  readonly logger: Logger = recordingLogger(this.lines);
}

export interface EngineOptions {
  secretStore?: InMemorySecretStore;
  browser?: ScriptedBrowser;
  /** Replaces the scripted browser, e.g. with one that never finishes. */
  openBrowser?: (url: string) => Promise<void>;
  showDeviceCode?: DeviceCodeUi;
  logs?: LogCapture;
  settings?: Partial<CloudSettings>;
}

/** A sign-in engine configured for the emulator (its CA trusted, its host in knownAuthorities). */
export function engineFor(fx: EmulatorFixture, options: EngineOptions = {}): SignInEngine {
  const browser = options.browser ?? new ScriptedBrowser(fx.emu);
  return new SignInEngine({
    settings: { ...fx.settings, ...options.settings },
    secretStore: options.secretStore ?? new InMemorySecretStore(),
    openBrowser: options.openBrowser ?? browser.open,
    showDeviceCode: options.showDeviceCode,
    extraCaPem: fx.emu.caCertPem,
    logger: options.logs?.logger,
    verboseMsalLogging: true,
  });
}

/** An engine with `email` signed in interactively, plus a transport that trusts the emulator, for the API clients. */
/** `email` signed in to the emulator, with both API clients on one transport. */
export interface SignedIn {
  readonly engine: SignInEngine;
  readonly transport: HttpsTransport;
  readonly sphere: SphereApiClient;
  readonly arm: ArmCertificateClient;
  dispose(): void;
}

export async function signedIn(fx: EmulatorFixture, email: string): Promise<SignedIn> {
  const engine = engineFor(fx);
  await engine.signInInteractive({ loginHint: email });
  const transport = new HttpsTransport({ extraCaPem: fx.emu.caCertPem });
  const clientOptions = { settings: fx.settings, tokens: engine, transport };
  return {
    engine,
    transport,
    sphere: new SphereApiClient(clientOptions),
    arm: new ArmCertificateClient(clientOptions),
    dispose: () => {
      engine.dispose();
      transport.close();
    },
  };
}

/**
 * For one describe(): a seeded emulator with `email` signed in to it, started before the suite's tests and closed
 * after them. Read `fx` and `session` from the result inside before()/it().
 */
export function signedInPerSuite(email: string, options: { bulkDevices?: number } = {}): { readonly fx: EmulatorFixture; readonly session: SignedIn } {
  let fx: EmulatorFixture | undefined;
  let session: SignedIn | undefined;
  before(async () => {
    fx = await startEmulator(options);
    session = await signedIn(fx, email);
  });
  after(async () => {
    session?.dispose();
    await fx?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite emulator is started in before()');
    return value;
  };
  return {
    get fx() {
      return started(fx);
    },
    get session() {
      return started(session);
    },
  };
}

/** The payload of a JWT (no verification: the tests only read which audience and user a token is for). */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
