import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError } from '../common/errors';
import { deleteApp as deleteAppFromBoard } from '../device';
import { onBoard } from '../boards';
import { resolveApp } from '../boards/app-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device sideload delete --component-id: DELETE /app/image/{componentId}, after the person confirms. */
export const deleteApp: CommandModule<Services> = {
  id: CommandId.deleteApp,
  async run({ devices, log }, arg) {
    const { board, app } = await resolveApp(devices.model, arg, { purpose: 'Delete which application?', action: 'delete' });
    const confirm = 'Delete';
    const answer = await vscode.window.showWarningMessage(
      `Delete ${app.name} (${app.componentId}) from ${board.label}?`,
      { modal: true, detail: 'The application is stopped and removed with its image. Its mutable storage goes with it.' },
      confirm,
    );
    if (answer !== confirm) throw new CancelledError();
    const client = await devices.model.client(board.key);
    await onBoard(board, `delete ${app.name}`, () => deleteAppFromBoard(client, app.componentId));
    log.info(`Component '${app.componentId}' deleted (${board.label}).`);
    devices.model.contentChanged(board, 'apps');
    void vscode.window.showInformationMessage(`${app.name} was deleted from ${board.label}.`);
  },
};
