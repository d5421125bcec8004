// The person at the keyboard, scripted: the one fake in the integration tests. Notifications are read instead of
// looked at, quick picks are answered by label, and a device code the extension shows is approved through the
// emulator's test hook, as the person would on the verification page.
import * as vscode from 'vscode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../emulator/cloud';

type MutableWindow = { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };

export interface ScriptedPerson {
  readonly info: string[];
  readonly errors: string[];
  /** The account to approve device codes as. */
  willApproveAs(loginHint: string): void;
  /** The label to pick in the next quick pick (then it is forgotten); undefined = press Escape. */
  willPick(label: string | undefined): void;
  /** What to type into the next input box; it must pass the box's own validation, as a person must. */
  willType(text: string | undefined): void;
  /** The button to press on the next warning (modal or not); undefined = close it. */
  willAnswer(button: string | undefined): void;
  /** Paths to choose in the next save dialogs, in order (undefined = Cancel). */
  readonly saveAs: (string | undefined)[];
  /** What each save dialog offered (default file, filters). */
  readonly saveDialogs: vscode.SaveDialogOptions[];
  readonly warnings: string[];
  restore(): void;
}

export function scriptedPerson(emulator: CloudEmulator | (() => CloudEmulator)): ScriptedPerson {
  const emu = () => (typeof emulator === 'function' ? emulator() : emulator);
  const info: string[] = [];
  const errors: string[] = [];
  let approveAs: string | undefined;
  let nextPick: string | undefined;
  let nextText: string | undefined;
  let nextAnswer: string | undefined;
  const warnings: string[] = [];
  const saveAs: (string | undefined)[] = [];
  const saveDialogs: vscode.SaveDialogOptions[] = [];
  const window = vscode.window as MutableWindow;
  const original = {
    save: window.showSaveDialog,
    info: window.showInformationMessage,
    error: window.showErrorMessage,
    pick: window.showQuickPick,
    input: window.showInputBox,
    warning: window.showWarningMessage,
  };
  window.showSaveDialog = (async (options?: vscode.SaveDialogOptions) => {
    saveDialogs.push(options ?? {});
    const path = saveAs.shift();
    return path === undefined ? undefined : vscode.Uri.file(path);
  }) as typeof window.showSaveDialog;
  window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
    const text = nextText;
    nextText = undefined;
    if (text === undefined) return undefined;
    const problem = await options?.validateInput?.(text);
    if (problem) throw new Error(`the input box refused "${text}": ${typeof problem === 'string' ? problem : problem.message}`);
    return text;
  }) as typeof window.showInputBox;
  window.showWarningMessage = ((message: string) => {
    warnings.push(message);
    const answer = nextAnswer;
    nextAnswer = undefined;
    return Promise.resolve(answer);
  }) as typeof window.showWarningMessage;
  window.showInformationMessage = ((message: string) => {
    info.push(message);
    const code = /enter the code (\S+?)\.?$/.exec(message)?.[1];
    if (code && approveAs) emu().testHooks.approveDeviceCode(code, approveAs);
    return Promise.resolve(undefined);
  }) as typeof window.showInformationMessage;
  window.showErrorMessage = ((message: string) => {
    errors.push(message);
    return Promise.resolve(undefined);
  }) as typeof window.showErrorMessage;
  window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
    const label = nextPick;
    nextPick = undefined;
    const list = await items;
    if (label === undefined) return undefined;
    const hit = list.find((i) => i.label === label);
    if (!hit) throw new Error(`the quick pick offered no "${label}": ${list.map((i) => i.label).join(', ')}`);
    return hit;
  }) as unknown as typeof window.showQuickPick;
  return {
    info,
    errors,
    warnings,
    willApproveAs: (hint) => (approveAs = hint),
    willPick: (label) => (nextPick = label),
    willType: (text) => (nextText = text),
    willAnswer: (button) => (nextAnswer = button),
    saveAs,
    saveDialogs,
    restore() {
      window.showSaveDialog = original.save;
      window.showInformationMessage = original.info;
      window.showErrorMessage = original.error;
      window.showQuickPick = original.pick;
      window.showInputBox = original.input;
      window.showWarningMessage = original.warning;
    },
  };
}

/**
 * Signs out, then in as `email` with a device code the person approves, and selects `tenant` when given — the way
 * a person does it from the palette. Fails on any error the extension showed meanwhile.
 */
export async function signInAs(person: ScriptedPerson, email: string, tenant?: string): Promise<void> {
  const errors = person.errors.length;
  await vscode.commands.executeCommand('sphereExplorer.signOut');
  person.willApproveAs(email);
  await vscode.commands.executeCommand('sphereExplorer.signInWithDeviceCode');
  if (tenant !== undefined) {
    person.willPick(tenant);
    await vscode.commands.executeCommand('sphereExplorer.selectTenant');
  }
  if (person.errors.length > errors) throw new Error(`signing in as ${email} failed: ${person.errors.slice(errors).join(' / ')}`);
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
    person: scriptedPerson(() => cloud.emu),
    stop: () => cloud.emu.close(),
    start: async () => {
      cloud.emu = await startCloudEmulator({ port: cloud.emu.port, stateDir, seed: true });
    },
    close: async () => {
      await vscode.commands.executeCommand('sphereExplorer.signOut');
      cloud.person.restore();
      await useEmulator(undefined);
      await cloud.emu.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  });
  await useEmulator(cloud.emu);
  return cloud;
}
