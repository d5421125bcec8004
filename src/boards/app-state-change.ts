// Starting and stopping an app from a command: the app it was run on (or a pick among those it makes sense for), the
// board asked, the CLI's "App state:" line in the log, the view refreshed, and a word to the person.
import * as vscode from 'vscode';
import type { AppStateChange } from '../device';
import { resolveApp, type AppQuestion } from './app-picker';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

export async function changeAppState(devices: DeviceModel, log: vscode.LogOutputChannel, arg: unknown, trigger: 'start' | 'stop', question: AppQuestion): Promise<AppStateChange> {
  const { board, app } = await resolveApp(devices, arg, question);
  const client = await devices.client(board.key);
  const change = await onBoard(board, `${trigger} ${app.name}`, () => client.setAppState(app.componentId, trigger));
  log.info(`${app.componentId}: App state: ${change.state} (${board.label}).`);
  devices.contentChanged(board, 'apps');
  void vscode.window.showInformationMessage(`${app.name} is ${change.state} on ${board.label}.`);
  return change;
}
