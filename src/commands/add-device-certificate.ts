import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import { validators } from '../device';
import { onBoard, resolveBoard } from '../boards';
import type { Services } from '../services';
import { CommandId } from './ids';

const PEM_FILTERS = { 'PEM certificates and keys': ['pem', 'crt', 'cer', 'key'], 'All files': ['*'] };

/**
 * azsphere device certificate add: a client certificate (public certificate + private key, optional key password) or a
 * root CA, each read from PEM files the user picks. The private key and its password go to the board only: never to
 * the log, a message or a setting.
 */
export const addDeviceCertificate: CommandModule<Services> = {
  id: CommandId.addDeviceCertificate,
  async run({ devices, log }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Add a certificate to which board?' });
    const kind = await vscode.window.showQuickPick(
      [
        { label: 'Root CA', description: 'rootca', detail: 'A CA certificate the board trusts, e.g. for an EAP-TLS RADIUS server', type: 'rootca' as const },
        { label: 'Client certificate', description: 'client', detail: 'A certificate and its private key the board authenticates with (EAP-TLS)', type: 'client' as const },
      ],
      { title: `Add a certificate to ${board.label}`, placeHolder: 'Which kind of certificate?' },
    );
    if (!kind) throw new CancelledError();
    const publicCertFile = await pickPemFile(kind.type === 'client' ? 'Select the public certificate (PEM)' : 'Select the root CA certificate (PEM)');
    const publicCertPem = await readPem(publicCertFile, 'Public certificate');
    const privateKeyPem = kind.type === 'client' ? await readPem(await pickPemFile('Select the private key (PEM)'), 'Private key') : undefined;
    const password =
      kind.type === 'client'
        ? await vscode.window.showInputBox({
            title: 'Private key password',
            prompt: 'Leave empty when the private key is not encrypted.',
            password: true,
            ignoreFocusOut: true,
            validateInput: (v) => validators.validateKeyPassword(v),
          })
        : '';
    if (password === undefined) throw new CancelledError();
    const suggested = path.basename(publicCertFile, path.extname(publicCertFile)).replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 16);
    const id = await vscode.window.showInputBox({
      title: 'Certificate identifier on the board',
      prompt: '1–16 letters, digits and . - _ (Wi-Fi networks refer to it by this name).',
      value: suggested,
      ignoreFocusOut: true,
      validateInput: (v) => validators.validateCertificateId(v),
    });
    if (id === undefined) throw new CancelledError();
    const client = await devices.model.client(board.key);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Adding certificate "${id}" to ${board.label}…` }, () =>
      onBoard(board, `add certificate "${id}"`, () =>
        kind.type === 'rootca'
          ? client.addRootCaCertificate(id, publicCertPem)
          : client.addClientCertificate({ id, publicCertPem, privateKeyPem: privateKeyPem!, ...(password ? { password } : {}) }),
      ),
    );
    log.info(`Added ${kind.type} certificate "${id}" to ${board.label}.`);
    devices.model.contentChanged(board, 'certificates');
    void vscode.window.showInformationMessage(`Added ${kind.label.toLowerCase()} "${id}" to ${board.label}.`);
    return id;
  },
};

async function pickPemFile(title: string): Promise<string> {
  const files = await vscode.window.showOpenDialog({ title, canSelectMany: false, openLabel: 'Select', filters: PEM_FILTERS });
  if (!files?.[0]) throw new CancelledError();
  return files[0].fsPath;
}

/** Reads and checks a PEM file before anything is sent; the message names the file, never its content. */
async function readPem(file: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UserFacingError(`Could not read ${file}: ${(err as Error).message}`);
  }
  const problem = validators.validatePem(text, what);
  if (problem) throw new UserFacingError(`${path.basename(file)}: ${problem}`);
  return text;
}
