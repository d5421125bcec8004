import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { onBoard, resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

/** azsphere device certificate show-quota: free bytes in the board's certificate store. */
export const showCertificateStoreSpace: CommandModule<Services> = {
  id: CommandId.showCertificateStoreSpace,
  async run({ devices }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Free certificate space of which board?' });
    const client = await devices.model.client(board.key);
    const bytes = await onBoard(board, 'read the certificate store space', () => client.getCertificateSpace());
    void vscode.window.showInformationMessage(`The certificate store of ${board.label} has ${bytes.toLocaleString('en-US')} bytes free.`);
    return bytes;
  },
};
