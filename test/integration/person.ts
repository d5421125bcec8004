// The person at the keyboard, scripted: the one fake in the integration tests. Notifications are read instead of
// looked at, quick picks are answered by label, and a device code the extension shows is approved through the
// emulator's test hook, as the person would on the verification page.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../emulator/cloud';
import { ARM_SCOPE, call, tokenFor } from '../helpers/cloud-emulator';
import { CommandId } from '../../src/commands/ids';

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

type Answer = string | undefined;

export interface ScriptedPerson {
  readonly info: string[];
  readonly errors: string[];
  /** Warning texts (modal or not), in order. */
  readonly warnings: string[];
  /** Every prompt shown (titles of input boxes, quick picks and open dialogs, warning texts), in order. */
  readonly prompts: string[];
  /** Messages the input boxes showed under what was typed (their validateInput). */
  readonly validation: string[];
  /** Whether an input box hid what was typed (password: true), per input box, in order. */
  readonly hidden: boolean[];
  /** Paths to choose in the next save dialogs, in order (undefined = Cancel). */
  readonly saveAs: Answer[];
  /** What each save dialog offered (default file, filters). */
  readonly saveDialogs: vscode.SaveDialogOptions[];
  /** What progress notifications said, as "title: message" (the real notification is still shown). */
  readonly progress: string[];
  /** The account to approve device codes as. */
  willApproveAs(loginHint: string): void;
  /** Queues what to type in the next input boxes. A value the box refuses makes the person press Escape. */
  willType(...values: Answer[]): void;
  /** Queues quick-pick answers by label (undefined = Escape). */
  willPick(...labels: Answer[]): void;
  /** Queues answers to warnings (the button's text, or undefined = close / Cancel). */
  willAnswer(...buttons: Answer[]): void;
  /** Queues files for open dialogs. */
  willOpen(...paths: string[]): void;
  /** Called when an input box is shown (e.g. to take the board's request count at that moment). */
  onInputBox: (() => void) | undefined;
  /** Called with each progress line as it is reported (e.g. someone else changes the service while it works). */
  onProgress: ((line: string) => void) | undefined;
  restore(): void;
  /** Fails when the script has answers left (the extension asked less than expected). */
  assertDone(): void;
}

export interface PersonOptions {
  /** The emulator whose test hook approves device codes shown in notifications. */
  emulator?: () => CloudEmulator;
  /**
   * Strict: a prompt the script did not expect fails the test, and a warning must offer the scripted button.
   * Lenient (default): an unexpected prompt is dismissed, as a person who presses Escape.
   */
  strict?: boolean;
}

/** The person at the keyboard; undo with restore(). */
export function scriptedPerson(options: PersonOptions = {}): ScriptedPerson {
  const window = vscode.window as MutableWindow;
  const original = {
    showSaveDialog: window.showSaveDialog,
    showOpenDialog: window.showOpenDialog,
    showInformationMessage: window.showInformationMessage,
    showErrorMessage: window.showErrorMessage,
    showWarningMessage: window.showWarningMessage,
    showQuickPick: window.showQuickPick,
    showInputBox: window.showInputBox,
    withProgress: window.withProgress,
  };
  let approveAs: string | undefined;
  const typed: Answer[] = [];
  const picks: Answer[] = [];
  const answers: Answer[] = [];
  const files: string[] = [];
  /** The next scripted answer; an empty script fails in strict mode and dismisses otherwise. */
  const next = <T>(queue: T[], what: string): T | undefined => {
    if (queue.length === 0 && options.strict) throw new Error(`unexpected ${what}`);
    return queue.shift();
  };
  const labelOf = (i: string | vscode.QuickPickItem) => (typeof i === 'string' ? i : i.label);
  const person: ScriptedPerson = {
    info: [],
    errors: [],
    warnings: [],
    prompts: [],
    validation: [],
    hidden: [],
    saveAs: [],
    saveDialogs: [],
    progress: [],
    willApproveAs: (hint) => void (approveAs = hint),
    willType: (...v) => void typed.push(...v),
    willPick: (...v) => void picks.push(...v),
    willAnswer: (...v) => void answers.push(...v),
    willOpen: (...v) => void files.push(...v),
    onInputBox: undefined,
    onProgress: undefined,
    restore: () => void Object.assign(window, original),
    assertDone() {
      assert.deepEqual({ typed, picks, answers, files }, { typed: [], picks: [], answers: [], files: [] }, 'the script has unused answers');
    },
  };
  window.withProgress = ((opts: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string; increment?: number }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
    original.withProgress(opts, (progress, token) =>
      task(
        {
          report: (value) => {
            if (value.message) {
              const line = `${opts.title ?? ''}: ${value.message}`;
              person.progress.push(line);
              person.onProgress?.(line);
            }
            progress.report(value);
          },
        },
        token,
      ),
    )) as typeof window.withProgress;
  window.showSaveDialog = (async (dialog?: vscode.SaveDialogOptions) => {
    person.saveDialogs.push(dialog ?? {});
    const path = person.saveAs.shift();
    return path === undefined ? undefined : vscode.Uri.file(path);
  }) as typeof window.showSaveDialog;
  window.showOpenDialog = (async (dialog?: vscode.OpenDialogOptions) => {
    person.prompts.push(dialog?.title ?? '(open dialog)');
    const file = files.shift();
    return file === undefined ? undefined : [vscode.Uri.file(file)];
  }) as typeof window.showOpenDialog;
  window.showInformationMessage = ((message: string) => {
    person.info.push(message);
    const code = /enter the code (\S+?)\.?$/.exec(message)?.[1];
    if (code && approveAs && options.emulator) options.emulator().testHooks.approveDeviceCode(code, approveAs);
    return Promise.resolve(undefined);
  }) as typeof window.showInformationMessage;
  window.showErrorMessage = ((message: string) => {
    person.errors.push(message);
    return Promise.resolve(undefined);
  }) as typeof window.showErrorMessage;
  window.showWarningMessage = (async (message: string, ...rest: unknown[]) => {
    person.warnings.push(message);
    person.prompts.push(message);
    const answer = next(answers, `warning: ${message}`);
    const buttons = rest.filter((r): r is string => typeof r === 'string');
    if (options.strict && answer !== undefined && !buttons.includes(answer)) throw new Error(`warning "${message}" offers no "${answer}": ${buttons.join(', ')}`);
    return answer;
  }) as typeof window.showWarningMessage;
  window.showQuickPick = (async (items: readonly (string | vscode.QuickPickItem)[] | Thenable<readonly (string | vscode.QuickPickItem)[]>, pick?: vscode.QuickPickOptions) => {
    const title = pick?.title ?? pick?.placeHolder ?? '(quick pick)';
    person.prompts.push(title);
    const list = await items;
    const label = next(picks, `quick pick "${title}": ${list.map(labelOf).join(', ')}`);
    if (label === undefined) return undefined;
    const hit = list.find((i) => labelOf(i) === label);
    if (!hit) throw new Error(`the quick pick "${title}" offered no "${label}": ${list.map(labelOf).join(', ')}`);
    return hit;
  }) as unknown as typeof window.showQuickPick;
  window.showInputBox = (async (box?: vscode.InputBoxOptions) => {
    const title = box?.title ?? box?.prompt ?? '(input box)';
    person.prompts.push(title);
    person.hidden.push(box?.password === true);
    person.onInputBox?.();
    const value = next(typed, `input box "${title}"`);
    if (value === undefined) return undefined;
    // What VS Code does as the person types: the box shows the validator's message and will not accept the value.
    const problem = await box?.validateInput?.(value);
    const text = typeof problem === 'string' ? problem : problem?.message;
    if (text) {
      person.validation.push(text);
      return undefined; // the person gives up (Escape)
    }
    return value;
  }) as typeof window.showInputBox;
  return person;
}

/**
 * Signs out, then in as `email` with a device code the person approves, and selects `tenant` when given — the way
 * a person does it from the palette. Fails on any error the extension showed meanwhile.
 */
export async function signInAs(person: ScriptedPerson, email: string, tenant?: string): Promise<void> {
  const errors = person.errors.length;
  await vscode.commands.executeCommand(CommandId.signOut);
  person.willApproveAs(email);
  await vscode.commands.executeCommand(CommandId.signInWithDeviceCode);
  if (tenant !== undefined) {
    person.willPick(tenant);
    await vscode.commands.executeCommand(CommandId.selectTenant);
  }
  if (person.errors.length > errors) throw new Error(`signing in as ${email} failed: ${person.errors.slice(errors).join(' / ')}`);
}

/**
 * One call of the emulator's service API as `loginHint`, with that user's own token and raw HTTPS (not our client), so
 * tests check where things land independently of the code under test. Resolves to the parsed body; fails on non-2xx.
 */
export async function callService(emu: CloudEmulator, loginHint: string, method: string, path: string, json?: unknown): Promise<unknown> {
  // A path under /subscriptions/ is Azure Resource Manager's, which takes a token for its own audience.
  const token = await tokenFor(emu, loginHint, ...(path.startsWith('/subscriptions/') ? [ARM_SCOPE] : []));
  const reply = await call(emu, path, { method, token, ...(json !== undefined && { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }) });
  if (reply.status >= 300) throw new Error(`${method} ${path}: HTTP ${reply.status}: ${reply.text}`);
  return reply.json;
}

/** Points the extension's cloud settings at `emu` (and back with `undefined`). */
export async function useEmulator(emu: CloudEmulator | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('sphereExplorer.cloud');
  const values: Record<string, string | undefined> = emu
    ? { authorityHost: emu.url, apiEndpoint: `${emu.url}/v2/`, armEndpoint: `${emu.url}/`, caFile: emu.caCertPath }
    : { authorityHost: undefined, apiEndpoint: undefined, armEndpoint: undefined, caFile: undefined };
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
}

/** A seeded local cloud emulator the extension points at, and the scripted person, for one suite. */
export interface EmulatedCloud {
  /** The running emulator (replaced by restart()). */
  emu: CloudEmulator;
  readonly stateDir: string;
  readonly person: ScriptedPerson;
  /** Stops the emulator, then starts it again on the same port with the same state. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Signs out, restores the person, points the settings back at Azure and removes the emulator. */
  close(): Promise<void>;
}

export async function emulatedCloud(options: { bulkDevices?: number } = {}): Promise<EmulatedCloud> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sphere-emu-'));
  const cloud = {
    emu: await startCloudEmulator({ port: 0, stateDir, seed: true, bulkDevices: options.bulkDevices }),
    stateDir,
  } as EmulatedCloud;
  Object.assign(cloud, {
    person: scriptedPerson({ emulator: () => cloud.emu }),
    stop: () => cloud.emu.close(),
    start: async () => {
      cloud.emu = await startCloudEmulator({ port: cloud.emu.port, stateDir, seed: true });
    },
    close: async () => {
      await vscode.commands.executeCommand(CommandId.signOut);
      cloud.person.restore();
      await useEmulator(undefined);
      await cloud.emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  });
  await useEmulator(cloud.emu);
  return cloud;
}
