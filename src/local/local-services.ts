// Runs the local cloud emulator and a simulated board for people without an Azure account (or a board): the same
// programs `npm start` runs, bundled in the extension, started with the extension host's own Node, kept in the
// extension's global storage, and pointed at by the cloud settings. Stopped with the command or when the
// extension is disposed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import { Disposable, toDisposable } from '../common/lifecycle';
import { CLOUD_SECTION } from '../auth/cloud-configuration';
import { isLocalAuthority } from './cloud-target-context';

/**
 * The emulator's port stays fixed (setting sphereExplorer.local.emulatorPort): msal keys its token cache by
 * host:port, so sign-ins survive a restart.
 */
function emulatorPort(): number {
  return vscode.workspace.getConfiguration('sphereExplorer.local').get<number>('emulatorPort') ?? 48443;
}

export interface RunningLocalServices {
  emulatorUrl: string;
  caCertPath: string;
  board: { deviceId: string; linkPath: string };
}

export class LocalServices extends Disposable {
  private children: ChildProcess[] = [];
  private running: RunningLocalServices | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly storagePath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(toDisposable(() => this.killAll()));
  }

  get current(): RunningLocalServices | undefined {
    return this.running;
  }

  async start(): Promise<RunningLocalServices> {
    if (this.running) return this.running;
    const current = vscode.workspace.getConfiguration(CLOUD_SECTION).get<string>('authorityHost');
    if (isLocalAuthority(current)) {
      throw new UserFacingError(
        `Sphere Explorer already uses a local cloud emulator (${current}), started outside this window (npm start?). Sign in there, or stop it first.`,
      );
    }
    const state = join(this.storagePath, 'local-services');
    mkdirSync(state, { recursive: true });
    try {
      const emulator = await this.launch('cloud', ['--state', join(state, 'cloud'), '--seed', '--port', String(emulatorPort()), '--quiet'], (line) => {
        try {
          const event = JSON.parse(line) as { event?: string; url?: string; caCertPath?: string; provisioningHost?: string };
          return event.event === 'listening' ? event : undefined;
        } catch {
          return undefined;
        }
      });
      const linkPath = join(state, 'board-1.tty');
      // The board gets its daily device certificate from this emulator and its apps register on the emulator's DPS
      // endpoint (in the listening line when the emulator serves one; else the board's default).
      const cloudArgs = ['--cloud', emulator.url!, '--cloud-ca', emulator.caCertPath!, ...(emulator.provisioningHost ? ['--provisioning-host', emulator.provisioningHost] : [])];
      const deviceId = await this.launch('board', ['--link', linkPath, '--state', join(state, 'board-1'), '--name', 'Simulated MT3620', ...cloudArgs], (line) =>
        /device ID\s*:\s*(\S+)/.exec(line)?.[1],
      );
      this.running = { emulatorUrl: emulator.url!, caCertPath: emulator.caCertPath!, board: { deviceId, linkPath } };
    } catch (err) {
      this.killAll();
      throw err;
    }
    const config = vscode.workspace.getConfiguration(CLOUD_SECTION);
    const target = vscode.ConfigurationTarget.Global;
    await config.update('authorityHost', this.running.emulatorUrl, target);
    await config.update('apiEndpoint', `${this.running.emulatorUrl}/v2/`, target);
    await config.update('armEndpoint', `${this.running.emulatorUrl}/`, target);
    await config.update('caFile', this.running.caCertPath, target);
    this.log.info(`Local cloud emulator at ${this.running.emulatorUrl}; simulated board ${this.running.board.deviceId.slice(0, 16)}… on ${this.running.board.linkPath}`);
    return this.running;
  }

  /** Stops both and points the cloud settings back at Azure. */
  async stop(): Promise<boolean> {
    const wasRunning = this.children.length > 0;
    this.killAll();
    if (this.running) {
      const config = vscode.workspace.getConfiguration(CLOUD_SECTION);
      for (const key of ['authorityHost', 'apiEndpoint', 'armEndpoint', 'caFile']) {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
      this.running = undefined;
    }
    return wasRunning;
  }

  /** Starts dist/emulator/NAME.js; resolves with what `ready` finds in its output. */
  private launch<T>(name: 'cloud' | 'board', args: string[], ready: (line: string) => T | undefined): Promise<T> {
    const script = join(this.extensionPath, 'dist/emulator', `${name}.js`);
    // The extension host's Node; ELECTRON_RUN_AS_NODE makes a desktop VS Code's executable behave as plain Node.
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    const what = name === 'cloud' ? 'The local cloud emulator' : 'The board simulator';
    return new Promise<T>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new UserFacingError(`${what} did not start within 30 s.`, output)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        for (const line of output.split('\n')) {
          const hit = ready(line);
          if (hit !== undefined) {
            clearTimeout(timer);
            resolve(hit);
            return;
          }
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (err) => reject(new UserFacingError(`${what} could not be started: ${err.message}`, output)));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new UserFacingError(`${what} stopped (exit code ${code}). ${lastLine(output)}`, output));
      });
    });
  }

  private killAll(): void {
    for (const child of this.children) {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    this.children = [];
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
