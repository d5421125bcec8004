// What the device and Wi-Fi suites share: a simulated board started in this extension host (real pty, real SLIP/TCP/
// TLS stack, real REST API), a private simulator registry so the suites see only their own boards, and the person at
// the keyboard — the one fake: input boxes, quick picks, dialogs and notifications are answered by a script.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSimulatedBoard, type SimulatedBoard, type SimulatedBoardOptions, type WifiTiming } from '../../emulator/board';
import { scriptedPerson, type ScriptedPerson } from './person';
import { activatedExtension } from './support';

export interface ExtensionApi {
  renderView(viewId: string, depth?: number, under?: string): Promise<string[]>;
}

export async function extensionApi(): Promise<ExtensionApi> {
  return (await activatedExtension()).exports as ExtensionApi;
}

export interface TestBoard {
  board: SimulatedBoard;
  dir: string;
  registryDir: string;
  close(): Promise<void>;
}

/**
 * Points discovery at a fresh registry and starts a board announcing itself there. Wi-Fi steps and reboots are short
 * so the suites stay quick; everything else is the simulator as users run it.
 */
export async function startTestBoard(
  name = 'test-board',
  options: { visibleToExtension?: boolean; wifiTiming?: Partial<WifiTiming>; /** More simulator options, e.g. the cloud it attests to. */ simulator?: Partial<SimulatedBoardOptions> } = {},
): Promise<TestBoard> {
  const dir = mkdtempSync(join(tmpdir(), 'sphere-devices-'));
  const registryDir = join(dir, 'registry');
  // A board only a test's own device model watches stays out of the extension's sight: one serial port, one owner.
  const visible = options.visibleToExtension ?? true;
  const previous = process.env.SPHERE_SIM_REGISTRY;
  if (visible) process.env.SPHERE_SIM_REGISTRY = registryDir;
  const board = await startSimulatedBoard({
    linkPath: join(dir, 'ttyBoard'),
    stateDir: join(dir, 'state'),
    registryDir,
    name,
    wifiTiming: { stepMs: 40, dhcpMs: 80, retryMs: 2_000, ...options.wifiTiming },
    restartDownMs: 400,
    ...options.simulator,
  });
  return {
    board,
    dir,
    registryDir,
    async close() {
      await board.stop();
      if (!visible) return rmSync(dir, { recursive: true, force: true });
      // Let the extension notice the board is gone before the registry changes back.
      await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
      if (previous === undefined) delete process.env.SPHERE_SIM_REGISTRY;
      else process.env.SPHERE_SIM_REGISTRY = previous;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `ok` holds (views and the board change asynchronously); fails with the last value seen. */
export async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(last, null, 1)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


/** An answer for the next input box: typed text, or undefined to press Escape. */
/** The person for device tests: strict, so a prompt the test did not script fails it. */
export function devicePerson(): ScriptedPerson {
  return scriptedPerson({ strict: true });
}
