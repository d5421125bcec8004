import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard } from '../boards';
import { resolveApp } from '../boards/app-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device app start: PATCH /app/status/{componentId} {"trigger":"start"}. */
export const startApp: CommandModule<Services> = {
  id: CommandId.startApp,
  async run({ devices, log }, arg) {
    const { board, app } = await resolveApp(devices.model, arg, { purpose: 'Start which application?', action: 'start', offer: (a) => a.state !== 'running' });
    const client = await devices.model.client(board.key);
    const change = await onBoard(board, `start ${app.name}`, () => client.setAppState(app.componentId, 'start'));
    log.info(`${app.componentId}: App state: ${change.state} (${board.label}).`);
    devices.model.contentChanged(board, 'apps');
    void vscode.window.showInformationMessage(`${app.name} is ${change.state} on ${board.label}.`);
    return change;
  },
};
