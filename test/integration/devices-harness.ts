// What the device and Wi-Fi suites share: a simulated board started in this extension host (real pty, real SLIP/TCP/
// TLS stack, real REST API), a private simulator registry so the suites see only their own boards, and the person at
// the keyboard — the one fake: input boxes, quick picks, dialogs and notifications are answered by a script.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startSimulatedBoard, type SimulatedBoard, type WifiTiming } from '../../emulator/board';
import { activatedExtension } from './support';

export interface ExtensionApi {
  renderView(viewId: string, depth?: number): Promise<string[]>;
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
  options: { visibleToExtension?: boolean; wifiTiming?: Partial<WifiTiming> } = {},
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

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

/** An answer for the next input box: typed text, or undefined to press Escape. */
type Typed = string | undefined;

export interface DevicePerson {
  readonly info: string[];
  readonly errors: string[];
  /** Messages the input boxes showed under what was typed (their validateInput). */
  readonly validation: string[];
  /** Every prompt shown (titles of input boxes and quick picks, warning texts), in order. */
  readonly prompts: string[];
  /** Whether an input box hid what was typed (password: true), per input box, in order. */
  readonly hidden: boolean[];
  /** Queues what to type in the next input boxes. A value the box refuses makes the person press Escape. */
  willType(...values: Typed[]): void;
  /** Queues quick-pick answers by label (undefined = Escape). */
  willPick(...labels: (string | undefined)[]): void;
  /** Queues answers to modal warnings (the button's text, or undefined = Cancel). */
  willAnswer(...buttons: (string | undefined)[]): void;
  /** Queues files for open dialogs. */
  willOpen(...paths: string[]): void;
  /** Called when an input box is shown (e.g. to take the board's request count at that moment). */
  onInputBox: (() => void) | undefined;
  restore(): void;
  /** Fails when the script has answers left (the extension asked less than expected). */
  assertDone(): void;
}

export function devicePerson(): DevicePerson {
  const window = vscode.window as MutableWindow;
  const original = {
    info: window.showInformationMessage,
    error: window.showErrorMessage,
    warning: window.showWarningMessage,
    pick: window.showQuickPick,
    input: window.showInputBox,
    open: window.showOpenDialog,
  };
  const typed: Typed[] = [];
  const picks: (string | undefined)[] = [];
  const answers: (string | undefined)[] = [];
  const files: string[] = [];
  const person: DevicePerson = {
    info: [],
    errors: [],
    validation: [],
    prompts: [],
    hidden: [],
    willType: (...v) => void typed.push(...v),
    willPick: (...v) => void picks.push(...v),
    willAnswer: (...v) => void answers.push(...v),
    willOpen: (...v) => void files.push(...v),
    onInputBox: undefined,
    restore() {
      Object.assign(window, {
        showInformationMessage: original.info,
        showErrorMessage: original.error,
        showWarningMessage: original.warning,
        showQuickPick: original.pick,
        showInputBox: original.input,
        showOpenDialog: original.open,
      });
    },
    assertDone() {
      assert.deepEqual({ typed, picks, answers, files }, { typed: [], picks: [], answers: [], files: [] }, 'the script has unused answers');
    },
  };
  window.showInformationMessage = ((message: string) => {
    person.info.push(message);
    return Promise.resolve(undefined);
  }) as typeof window.showInformationMessage;
  window.showErrorMessage = ((message: string) => {
    person.errors.push(message);
    return Promise.resolve(undefined);
  }) as typeof window.showErrorMessage;
  window.showWarningMessage = ((message: string, ...rest: unknown[]) => {
    person.prompts.push(message);
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    if (answers.length === 0) throw new Error(`unexpected warning: ${message}`);
    const answer = answers.shift();
    if (answer !== undefined && !buttons.includes(answer)) throw new Error(`warning "${message}" offers no "${answer}": ${buttons.join(', ')}`);
    return Promise.resolve(answer);
  }) as typeof window.showWarningMessage;
  window.showQuickPick = (async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, options?: vscode.QuickPickOptions) => {
    person.prompts.push(options?.title ?? options?.placeHolder ?? '(quick pick)');
    const list = await items;
    if (picks.length === 0) throw new Error(`unexpected quick pick "${options?.title}": ${list.map((i) => (typeof i === 'string' ? i : i.label)).join(', ')}`);
    const label = picks.shift();
    if (label === undefined) return undefined;
    const hit = list.find((i) => (typeof i === 'string' ? i : i.label) === label);
    if (!hit) throw new Error(`the quick pick "${options?.title}" offered no "${label}": ${list.map((i) => (typeof i === 'string' ? i : i.label)).join(', ')}`);
    return hit;
  }) as unknown as typeof window.showQuickPick;
  window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    person.prompts.push(options?.title ?? options?.prompt ?? '(input box)');
    person.hidden.push(options?.password === true);
    person.onInputBox?.();
    if (typed.length === 0) throw new Error(`unexpected input box "${options?.title}"`);
    const value = typed.shift();
    if (value === undefined) return undefined;
    // What VS Code does as the person types: the box shows the validator's message and will not accept the value.
    const message = await options?.validateInput?.(value);
    const text = typeof message === 'string' ? message : message?.message;
    if (text) {
      person.validation.push(text);
      return undefined; // the person gives up (Escape)
    }
    return value;
  }) as typeof window.showInputBox;
  window.showOpenDialog = (async (options?: vscode.OpenDialogOptions) => {
    person.prompts.push(options?.title ?? '(open dialog)');
    const file = files.shift();
    return file === undefined ? undefined : [vscode.Uri.file(file)];
  }) as typeof window.showOpenDialog;
  return person;
}
