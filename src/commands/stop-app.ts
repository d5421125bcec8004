import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard } from '../boards';
import { resolveApp } from '../boards/app-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device app stop: PATCH /app/status/{componentId} {"trigger":"stop"}. */
export const stopApp: CommandModule<Services> = {
  id: CommandId.stopApp,
  async run({ devices, log }, arg) {
    const { board, app } = await resolveApp(devices.model, arg, { purpose: 'Stop which application?', action: 'stop', offer: (a) => a.state === 'running' || a.state === 'debugging' });
    const client = await devices.model.client(board.key);
    const change = await onBoard(board, `stop ${app.name}`, () => client.setAppState(app.componentId, 'stop'));
    log.info(`${app.componentId}: App state: ${change.state} (${board.label}).`);
    devices.model.contentChanged(board, 'apps');
    void vscode.window.showInformationMessage(`${app.name} is ${change.state} on ${board.label}.`);
    return change;
  },
};
