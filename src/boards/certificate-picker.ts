// How a certificate command finds the certificate: the node it was run on ({ boardKey, certificateId }), else a pick
// from the board's certificate store.
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import type { AttachedBoard } from './attached-board';
import { resolveBoard } from './board-picker';
import { onBoard } from './device-errors';
import type { DeviceModel } from './device-model';

interface CertificateTarget {
  boardKey: string;
  certificateId: string;
}

const isCertificateTarget = (arg: unknown): arg is CertificateTarget =>
  typeof arg === 'object' && arg !== null && typeof (arg as CertificateTarget).certificateId === 'string';

export async function resolveCertificate(devices: DeviceModel, arg: unknown, purpose: string): Promise<{ board: AttachedBoard; certificateId: string }> {
  const board = await resolveBoard(devices, arg, { purpose });
  if (isCertificateTarget(arg)) return { board, certificateId: arg.certificateId };
  const client = await devices.client(board.key);
  const ids = await onBoard(board, 'list certificates', () => client.listCertificates());
  if (ids.length === 0) throw new UserFacingError(`The certificate store of ${board.label} is empty.`);
  const picked = await vscode.window.showQuickPick(ids, { title: purpose, placeHolder: `Certificates on ${board.label}` });
  if (!picked) throw new CancelledError();
  return { board, certificateId: picked };
}
