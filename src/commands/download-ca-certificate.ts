import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import type { Services } from '../services';
import { CA_FILE_FORMATS, downloadCaCertificate as download, suggestedCaFileName } from '../wizards/certificate/ca-download';
import { caCertificateRows, defaultCaRow, type CaCertificateRow } from '../wizards/certificate/ca-certificate-rows';
import { CommandId } from './ids';

/**
 * Saves the selected tenant's CA certificate (azsphere ca-certificate download / download-chain): the person picks
 * the CA when the tenant has several, and the file; its extension decides the format (.cer, .pem or the .p7b chain).
 */
export const downloadCaCertificate: CommandModule<Services> = {
  id: CommandId.downloadCaCertificate,
  async run({ tenants, log }): Promise<string> {
    if (!(await tenants.account())) throw new UserFacingError('Sign in to Azure Sphere first: the CA certificate belongs to your tenant.');
    const tenant = await tenants.selectedTenant();
    if (!tenant) throw new UserFacingError('Select an Azure Sphere tenant first (Accounts view, or "Azure Sphere: Select Tenant").');
    const api = await tenants.apiClient();
    const rows = caCertificateRows(await api.listCaCertificates(tenant.Id));
    const ca = await pickCa(rows, tenant.Name);

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const target = await vscode.window.showSaveDialog({
      title: `Save the CA certificate of ${tenant.Name}`,
      defaultUri: vscode.Uri.joinPath(folder, suggestedCaFileName(tenant.Name, ca.thumbprint, 'cer')),
      filters: Object.fromEntries(Object.entries(CA_FILE_FORMATS).map(([ext, f]) => [f.label, [ext]])),
      saveLabel: 'Save',
    });
    if (!target) throw new CancelledError();

    const saved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading the CA certificate of ${tenant.Name}…` }, () =>
      download(api, { tenantId: tenant.Id, thumbprint: ca.thumbprint, filePath: target.fsPath }),
    );
    log.info(`Saved CA ${ca.thumbprint} of tenant ${tenant.Name} to ${saved.path} (${saved.format}).`);
    void vscode.window.showInformationMessage(`Saved the CA certificate of ${tenant.Name} (${ca.thumbprint.slice(0, 8)}…) to ${path.basename(saved.path)}: ${saved.description}.`);
    return saved.path;
  },
};

async function pickCa(rows: readonly CaCertificateRow[], tenantName: string): Promise<CaCertificateRow> {
  const usable = rows.filter((r) => r.usable);
  if (usable.length === 0) throw new UserFacingError(`${tenantName} has no CA certificate that can be downloaded: expired and revoked ones are no longer handed out.`);
  if (usable.length === 1) return usable[0]!;
  const preferred = defaultCaRow(usable);
  const picked = await vscode.window.showQuickPick(
    usable.map((r) => ({ label: r.thumbprint, description: r.statusLabel, detail: `${r.subject} · valid ${r.notBefore.slice(0, 10)} – ${r.notAfter.slice(0, 10)}`, picked: r === preferred, row: r })),
    { title: `Which CA certificate of ${tenantName}?`, placeHolder: 'The active one is what new device certificates are issued by' },
  );
  if (!picked) throw new CancelledError();
  return picked.row;
}
