// Deploying an image package to a board, as `azsphere device sideload deploy` does: the file is checked first (not a
// package, truncated, not an application or board configuration: nothing is sent), then staged with progress (the
// notification can cancel it until the package is on the board) and installed; the app starts unless asked not to.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, UserFacingError } from '../common/errors';
import { isImagePackageError, readImagePackageFile, type ImagePackageInfo } from '../device/image-package';
import { sideloadImagePackage, type SideloadProgress, type SideloadResult } from '../device';
import type { AttachedBoard } from './attached-board';
import { isBoardTarget, resolveBoard } from './board-picker';
import type { DeviceModel } from './device-model';
import { onBoard } from './device-errors';

export interface DeployOptions {
  readonly manualStart: boolean;
  readonly log: vscode.LogOutputChannel;
}

export interface Deployment extends SideloadResult {
  readonly board: AttachedBoard;
  readonly packagePath: string;
}

/**
 * `arg`: the file (Explorer context menu), a board node, both (`{ boardKey, packagePath }`, e.g. the IoT sample for a
 * simulated board), or nothing (then both are asked for).
 */
export async function deployImagePackage(devices: DeviceModel, arg: unknown, options: DeployOptions): Promise<Deployment> {
  const given = (arg as { packagePath?: unknown } | undefined)?.packagePath;
  const packagePath = arg instanceof vscode.Uri ? arg.fsPath : typeof given === 'string' ? given : await pickPackage();
  const info = await checkPackage(packagePath);
  const board = await resolveBoard(devices, isBoardTarget(arg) ? arg : undefined, { preferSelected: true, purpose: `Deploy ${info.name || path.basename(packagePath)} to which board?` });
  const client = await devices.client(board.key);
  options.log.info(`Deploying '${packagePath}' to ${board.label}.`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deploying ${path.basename(packagePath)} to ${board.label}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      const onProgress = (p: SideloadProgress): void => {
        const percent = p.totalBytes > 0 ? Math.floor((100 * p.bytesSent) / p.totalBytes) : 0;
        progress.report({ message: progressMessage(p, percent), increment: p.phase === 'staging' ? Math.max(0, percent - shown) : undefined });
        if (p.phase === 'staging') shown = Math.max(shown, percent);
      };
      return onBoard(board, `deploy ${path.basename(packagePath)}`, () => sideloadImagePackage(client, packagePath, { manualStart: options.manualStart, onProgress, signal: abort.signal })).finally(() => cancel.dispose());
    },
  );
  options.log.info(`Image package '${packagePath}' has been deployed to ${board.label}: ${result.name} (${result.componentId}) is ${result.state ?? 'installed'}.`);
  devices.contentChanged(board, 'apps');
  return { ...result, board, packagePath };
}

async function pickPackage(): Promise<string> {
  const uris = await vscode.window.showOpenDialog({
    title: 'Deploy which image package?',
    canSelectMany: false,
    filters: { 'Image packages': ['imagepackage'], 'All files': ['*'] },
  });
  if (!uris?.[0]) throw new CancelledError();
  return uris[0].fsPath;
}

/** Reads the package before anything else, so a wrong file is refused with its reason and no board is asked. */
async function checkPackage(packagePath: string): Promise<ImagePackageInfo> {
  try {
    return await readImagePackageFile(packagePath);
  } catch (err) {
    if (isImagePackageError(err)) throw new UserFacingError(err.message, `deploy: ${packagePath} refused before sending`, { cause: err });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserFacingError(`${packagePath} does not exist.`, undefined, { cause: err });
    throw err;
  }
}

function progressMessage(p: SideloadProgress, percent: number): string {
  switch (p.phase) {
    case 'checking':
      return 'checking the package and the board…';
    case 'staging':
      return `sending ${percent}% (${Math.round(p.bytesSent / 1024)} of ${Math.round(p.totalBytes / 1024)} KiB)`;
    case 'installing':
      return 'installing…';
    case 'starting':
      return 'starting the application…';
  }
}
