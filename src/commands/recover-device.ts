import * as vscode from 'vscode';
import type { CommandModule } from '../common/command-registry';
import { CancelledError, UserFacingError } from '../common/errors';
import { resolveBoard, type AttachedBoard, type DeviceModel } from '../boards';
import { chooseRecoveryImages } from '../boards/recovery-images';
import { isRecoveryError, openRecoveryPort, RECOVERY_BAUD_RATE, recoverBoard, TRANSCRIPT, type RecoveryImageSet, type RecoveryResult } from '../device/recovery';
import type { Services } from '../services';
import { CommandId } from './ids';

const ERASE_AND_RECOVER = 'Erase and Recover';
/** How long the board may take to answer its REST API after the reboot that ends a recovery. */
const BOOT_TIMEOUT_MS = 60_000;

/**
 * azsphere device recover: erase the board through its recovery UART and write a recovery image set, with the CLI's
 * transcript and a percentage by bytes; then wait until the board answers again and show its new OS version.
 */
export const recoverDevice: CommandModule<Services> = {
  id: CommandId.recoverDevice,
  async run({ devices, log }, arg) {
    const board = await resolveBoard(devices.model, arg, { purpose: 'Recover which board?' });
    const portPath = board.descriptor.recoveryPortPath;
    if (!portPath) {
      throw new UserFacingError(
        `Sphere Explorer recovers a board through its recovery UART, which it knows only for simulated boards so far; for ${board.label} use 'azsphere device recover'.`,
      );
    }
    const baudRate = board.descriptor.recoveryBaudRate ?? RECOVERY_BAUD_RATE;
    const images = await chooseRecoveryImages(arg, log);
    await confirmErase(board, images, portPath, baudRate);

    log.info(`${TRANSCRIPT.starting} (${board.label}, recovery UART ${portPath} at ${baudRate} baud, images from ${images.source})`);
    const port = await openRecoveryPort(portPath, baudRate).catch((err: unknown) => {
      throw new UserFacingError(`Could not recover ${board.label}: ${(err as Error).message}`, undefined, { cause: err });
    });
    let result: RecoveryResult;
    devices.model.setRecovery(board.key, { percent: 0, step: TRANSCRIPT.starting });
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Recovering ${board.label}`, cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          let percent = 0;
          let step: string = TRANSCRIPT.starting;
          const show = (next: number): void => {
            progress.report({ increment: next - percent, message: `${next}% · ${step}` });
            if (next !== percent) devices.model.setRecovery(board.key, { percent: next, step });
            percent = next;
          };
          const recovered = await recoverBoard({
            port: port.stream,
            baudRate,
            images,
            signal: abort.signal,
            onTranscript: (line) => {
              log.info(line);
              step = line;
              show(percent);
            },
            onProgress: ({ sentBytes, totalBytes }) => show(Math.floor((sentBytes * 100) / totalBytes)),
            onBoardLine: (line) => log.debug(`recovery UART: ${line}`),
          });
          step = 'waiting for the board to start…';
          show(100);
          await waitUntilAnswering(devices.model, board, recovered.osVersion);
          return recovered;
        },
      );
    } catch (err) {
      if (isRecoveryError(err, 'CANCELLED')) {
        log.warn(err.message);
        if (/flash was erased/.test(err.message)) void vscode.window.showWarningMessage(err.message);
        throw new CancelledError();
      }
      if (isRecoveryError(err)) throw new UserFacingError(`Recovering ${board.label} failed: ${err.message}`, err.code, { cause: err });
      throw err;
    } finally {
      await port.close();
      devices.model.setRecovery(board.key, undefined);
    }
    log.info(`Device ID: ${board.deviceId ?? 'unknown'}`);
    log.info(`Device recovered successfully. (${board.label}: Azure Sphere OS ${result.osVersion}, ${Math.round(result.elapsedMs / 1000)} s)`);
    devices.model.contentChanged(board, 'interfaces');
    devices.model.contentChanged(board, 'certificates');
    devices.wifi.refreshNetworks();
    void vscode.window.showInformationMessage(`Device recovered successfully: ${board.label} runs Azure Sphere OS ${result.osVersion}.`);
  },
};

async function confirmErase(board: AttachedBoard, images: RecoveryImageSet, portPath: string, baudRate: number): Promise<void> {
  const bytes = images.bootloader.length + images.imageBytes;
  const minutes = Math.max(1, Math.ceil((bytes * 10) / baudRate / 60));
  const answer = await vscode.window.showWarningMessage(
    `Recover ${board.label}? This erases the board and installs Azure Sphere OS ${images.manifest.osVersion}: its Wi-Fi networks, certificates, applications and capabilities are deleted. The device ID stays.`,
    {
      modal: true,
      detail: `${images.images.length} images (${bytes.toLocaleString('en-US')} bytes) from ${images.source}, over ${portPath} at ${baudRate} baud: about ${minutes} min.`,
    },
    ERASE_AND_RECOVER,
  );
  if (answer !== ERASE_AND_RECOVER) throw new CancelledError();
}

/** Reads the board's facts until it answers with the recovered OS version (the model shows them when it does). */
async function waitUntilAnswering(model: DeviceModel, board: AttachedBoard, osVersion: string): Promise<void> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    await model.reloadFacts(board.key);
    if (!board.factsError && board.facts?.osVersion === osVersion) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new UserFacingError(`${board.label} was recovered but did not answer within ${BOOT_TIMEOUT_MS / 1000} s of rebooting: ${board.factsError ?? 'it reports another OS version'}.`);
}
