// Where the recovery images for "Recover Device…" come from: downloaded (the setting sphereExplorer.recovery.imagesUrl,
// else the local cloud emulator's set when the cloud settings point at it), or a folder the user picks (the CLI's
// `azsphere device recover --images <folder>`). Either way every file is checked against the manifest first.
import * as vscode from 'vscode';
import { readCloudConfiguration } from '../auth/cloud-configuration';
import { HttpsTransport } from '../cloud/https-transport';
import { CancelledError, UserFacingError } from '../common/errors';
import { isLocalAuthority } from '../local/cloud-target-context';
import { downloadRecoveryImages, isRecoveryError, loadRecoveryImagesFromFolder, RECOVERY_MANIFEST_FILE, type RecoveryImageSet } from '../device/recovery';

export const RECOVERY_SETTINGS_SECTION = 'sphereExplorer.recovery';
/** Where the local cloud emulator serves its recovery image set (emulator/cloud/recovery-images.ts). */
export const EMULATOR_RECOVERY_MANIFEST_PATH = `/recovery/mt3620an/${RECOVERY_MANIFEST_FILE}`;

/** What scripted callers may pass: a folder instead of asking. */
export interface RecoveryImagesChoice {
  readonly imagesFolder?: string;
}

/** The manifest URL to download from, when one is known. */
export function recoveryImagesUrl(): string | undefined {
  const configured = vscode.workspace.getConfiguration(RECOVERY_SETTINGS_SECTION).get<string>('imagesUrl', '').trim();
  if (configured) return configured;
  const api = readCloudConfiguration().settings.apiEndpoint;
  return api && isLocalAuthority(api) ? new URL(EMULATOR_RECOVERY_MANIFEST_PATH, api).toString() : undefined;
}

export async function chooseRecoveryImages(arg: unknown, log: vscode.LogOutputChannel): Promise<RecoveryImageSet> {
  const given = typeof arg === 'object' && arg !== null ? (arg as RecoveryImagesChoice).imagesFolder : undefined;
  const url = recoveryImagesUrl();
  let folder = given;
  if (folder === undefined) {
    const download = url ? { label: '$(cloud-download) Download the recovery images', description: new URL(url).host, action: 'download' as const } : undefined;
    const pickFolder = { label: '$(folder-opened) Use recovery images from a folder…', description: `a folder with ${RECOVERY_MANIFEST_FILE}`, action: 'folder' as const };
    const picked = await vscode.window.showQuickPick(download ? [download, pickFolder] : [pickFolder], { title: 'Recover Device: which recovery images?' });
    if (!picked) throw new CancelledError();
    if (picked.action === 'folder') {
      const uris = await vscode.window.showOpenDialog({ title: 'Folder with the recovery images', canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Use These Images' });
      if (!uris?.[0]) throw new CancelledError();
      folder = uris[0].fsPath;
    }
  }
  try {
    if (folder !== undefined) return await loadRecoveryImagesFromFolder(folder);
    log.info('Downloading recovery images...');
    const transport = new HttpsTransport({ extraCaPem: readCloudConfiguration().extraCaPem });
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Downloading recovery images...' }, () =>
        downloadRecoveryImages(url!, async (fileUrl) => {
          const res = await transport.send({ method: 'GET', url: fileUrl.toString() });
          if (res.status !== 200) throw new UserFacingError(`Downloading the recovery images failed: ${fileUrl.pathname} answered HTTP ${res.status}.`);
          return res.body;
        }).then((set) => {
          log.info('Download complete.');
          return set;
        }),
      );
    } finally {
      transport.close();
    }
  } catch (err) {
    if (isRecoveryError(err)) throw new UserFacingError(err.message, err.code, { cause: err });
    throw err;
  }
}
