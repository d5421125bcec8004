import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError } from '../common/errors';
import { onBoard } from '../boards';
import { resolveCertificate } from '../boards/certificate-picker';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device certificate delete, after a modal confirmation (a network using it stops connecting). */
export const deleteDeviceCertificate: CommandModule<Services> = {
  id: CommandId.deleteDeviceCertificate,
  async run({ devices, log }, arg) {
    const { board, certificateId } = await resolveCertificate(devices.model, arg, 'Delete which certificate?');
    const DELETE = 'Delete';
    const answer = await vscode.window.showWarningMessage(
      `Delete certificate "${certificateId}" from ${board.label}?`,
      { modal: true, detail: 'Wi-Fi networks that use it (EAP-TLS) will no longer connect.' },
      DELETE,
    );
    if (answer !== DELETE) throw new CancelledError();
    const client = await devices.model.client(board.key);
    await onBoard(board, `delete certificate "${certificateId}"`, () => client.deleteCertificate(certificateId));
    log.info(`Deleted certificate "${certificateId}" from ${board.label}.`);
    devices.model.contentChanged(board, 'certificates');
  },
};
