import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard } from '../boards';
import { resolveApp } from '../boards/app-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/** The board's address on its service link, where gdb and the app's output are reached. */
const BOARD_ADDRESS = '192.168.35.2';
const COPY_GDB = 'Copy gdb Command';

/**
 * azsphere device app start --debug-mode: PATCH /app/status/{componentId} {"trigger":"startDebug"}; the board waits
 * for gdb on the GDB port and writes the app's output to the output port.
 */
export const startAppForDebugging: CommandModule<Services> = {
  id: CommandId.startAppForDebugging,
  async run({ devices, log }, arg) {
    const { board, app } = await resolveApp(devices.model, arg, { purpose: 'Start which application for debugging?', action: 'debug' });
    const client = await devices.model.client(board.key);
    const change = await onBoard(board, `start ${app.name} for debugging`, () => client.setAppState(app.componentId, 'startDebug'));
    devices.model.contentChanged(board, 'apps');
    const ports = `Output Port: ${change.outPort ?? '?'}, GDB Port: ${change.gdbPort ?? '?'}`;
    log.info(`${app.componentId}: App state: ${change.state}; ${ports} (${board.label}).`);
    const gdb = `target remote ${BOARD_ADDRESS}:${change.gdbPort ?? 2345}`;
    void vscode.window.showInformationMessage(`${app.name} is waiting for the debugger on ${board.label}. ${ports}.`, COPY_GDB).then((choice) => {
      if (choice === COPY_GDB) void vscode.env.clipboard.writeText(gdb);
    });
    return change;
  },
};
