import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FleetScope } from '../cloud/backend/fleet-backend';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import { scopeOf } from '../fleet/fleet-target';
import type { Services } from '../services';
import { CA_FILE_FORMATS, downloadCaCertificate as download, scopeNoun, suggestedCaFileName } from '../wizards/certificate/ca-download';
import { caRowName, defaultCaRow, listCaCertificateRows, type CaCertificateRow } from '../wizards/certificate/ca-certificate-rows';
import { CommandId } from './ids';
import { caTargetOf } from './validate-ca-certificate';

/**
 * Saves the CA certificate of a tenant or catalog (azsphere ca-certificate download / download-chain) — the node it
 * was run on, the selected tenant, or a pick: the person picks the CA when there are several, and the file; its
 * extension decides the format (.cer, .pem or the .p7b chain).
 */
export const downloadCaCertificate: CommandModule<Services> = {
  id: CommandId.downloadCaCertificate,
  async run({ tenants, log }, arg?: unknown): Promise<string> {
    if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: the CA certificate belongs to your tenant or catalog.');
    const scope = await scopeOf(tenants, caTargetOf(arg), 'Download the CA certificate of which tenant or catalog?');
    const backend = await tenants.backendFor(scope);
    const ca = await pickCa(await listCaCertificateRows(backend, scope), scope);

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const target = await vscode.window.showSaveDialog({
      title: `Save the CA certificate of ${scope.name}`,
      defaultUri: vscode.Uri.joinPath(folder, suggestedCaFileName(scope.name, ca.thumbprint ?? ca.id, 'cer')),
      filters: Object.fromEntries(Object.entries(CA_FILE_FORMATS).map(([ext, f]) => [f.label, [ext]])),
      saveLabel: 'Save',
    });
    if (!target) throw new CancelledError();

    const saved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading the CA certificate of ${scope.name}…` }, () =>
      download(backend, scope, { certificateId: ca.id, filePath: target.fsPath }),
    );
    log.info(`Saved CA ${caRowName(ca)} of ${scopeNoun(scope)} ${scope.name} to ${saved.path} (${saved.format}).`);
    void vscode.window.showInformationMessage(`Saved the CA certificate of ${scope.name} (${(ca.thumbprint ?? ca.id).slice(0, 8)}…) to ${path.basename(saved.path)}: ${saved.description}.`);
    return saved.path;
  },
};

async function pickCa(rows: readonly CaCertificateRow[], scope: FleetScope): Promise<CaCertificateRow> {
  const noun = scopeNoun(scope);
  if (rows.length === 0) throw new UserFacingError(`The ${noun} ${scope.name} has no CA certificate yet, so there is nothing to download.`);
  const usable = rows.filter((r) => r.usable);
  if (usable.length === 0) throw new UserFacingError(`The ${noun} ${scope.name} has no CA certificate that can be downloaded: expired and revoked ones are no longer handed out.`);
  if (usable.length === 1) return usable[0]!;
  const preferred = defaultCaRow(usable);
  const picked = await vscode.window.showQuickPick(
    usable.map((r) => ({
      label: r.thumbprint ?? r.id,
      description: [r.statusLabel, r.thumbprint && scope.kind === 'catalog' ? `serial ${r.id}` : undefined].filter(Boolean).join(' · '),
      detail: `${r.subject} · valid ${r.notBefore.slice(0, 10)} – ${r.notAfter.slice(0, 10)}`,
      picked: r === preferred,
      row: r,
    })),
    { title: `Which CA certificate of ${scope.name}?`, placeHolder: 'The active one is what new device certificates are issued by' },
  );
  if (!picked) throw new CancelledError();
  return picked.row;
}
