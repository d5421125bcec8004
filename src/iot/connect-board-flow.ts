// "Connect Board to IoT Hub…": the claimed board gets a CA-signed identity (its device ID in lower case) on a hub
// where its tenant's CA is verified, or keeps the one it has; the link is remembered so the Devices view shows the
// hub's connection state; and the person is told what the board's app needs and whether the board has its device
// certificate yet. Nothing is created when a check fails.
import * as vscode from 'vscode';
import { UserFacingError } from '../common/errors';
import type { DeviceModel } from '../boards';
import { resolveClaimedBoard } from '../boards/claimed-board';
import { iotManifestSettings } from '../cloud/iot/app-manifest-settings';
import { connectDeviceToHub, hubDeviceIdFor, type HubConnection } from '../cloud/iot/hub-device-connection';
import type { ClaimStatus } from '../tenants/claim-status';
import type { TenantModel } from '../tenants/tenant-model';
import { readBoardAuthReadiness } from './board-auth-status';
import { hubFromArg, pickHub } from './hub-picker';
import type { IotLink } from './iot-links';
import type { IotModel } from './iot-model';
import { showConnectionOutcome } from './connection-outcome';

export interface IotFlowDeps {
  readonly devices: DeviceModel;
  readonly tenants: TenantModel;
  readonly claims: ClaimStatus;
  readonly iot: IotModel;
  readonly log: vscode.LogOutputChannel;
  /** Where the AzureIoT sample for simulated boards is written. */
  readonly samplesDir: string;
}

export interface BoardHubConnection extends HubConnection {
  readonly link: IotLink;
}

export const USE_EXISTING_IDENTITY = 'Use Existing Identity';

export async function connectBoardToIotHub(deps: IotFlowDeps, arg: unknown): Promise<BoardHubConnection> {
  const { board, deviceId, tenant, scope } = await resolveClaimedBoard(deps, arg, {
    purpose: 'Connect which board to an IoT hub?',
    whyTenant: "can issue the device certificate the hub trusts",
  });
  const asked = (arg as { deviceId?: unknown } | undefined)?.deviceId;
  if (asked !== undefined && (typeof asked !== 'string' || asked.toLowerCase() !== deviceId.toLowerCase())) {
    throw new UserFacingError(`"${String(asked)}" is not the device ID of ${board.label} (${deviceId}); the hub identity must be the board's own ID, or its certificate will not match. Nothing was created.`);
  }
  // Before anything is created: an identity for a board that cannot authenticate would only fail later, out of sight.
  const readiness = await readBoardAuthReadiness(deps.devices, deps.claims, board);
  if (!readiness.ready) {
    throw new UserFacingError(`${board.label} has no device certificate yet, so it could not authenticate to a hub: ${readiness.reason}. Nothing was created.`);
  }
  const clients = await deps.iot.clients();
  const hub = hubFromArg(arg, 'iotHub') ?? (await pickHub(clients.arm, 'iotHub', `Connect ${board.label} to which IoT hub?`));
  const useExisting = (arg as { useExisting?: boolean } | undefined)?.useExisting;
  const backend = await deps.tenants.backendFor(scope);
  const connection = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Connecting ${board.label} to IoT hub ${hub.name}` },
    (progress) => {
      progress.report({ message: `Checking that the CA of ${scope.name} is verified on the hub…` });
      return connectDeviceToHub(clients, {
        ca: { scope, backend },
        deviceId,
        hub,
        useExisting: async (identity, hostName) => {
          if (useExisting !== undefined) return useExisting;
          const answer = await vscode.window.showInformationMessage(
            `IoT hub ${hostName} already has device ${identity.deviceId.slice(0, 16)}… with CA-signed authentication (${identity.status ?? 'enabled'}). Use it?`,
            { modal: true, detail: 'Using it changes nothing on the hub. Otherwise the hub is asked to create it again, and refuses.' },
            USE_EXISTING_IDENTITY,
          );
          return answer === USE_EXISTING_IDENTITY;
        },
      });
    },
  );
  const link: IotLink = { deviceId: hubDeviceIdFor(deviceId), tenantId: tenant.Id, hub, hubHostName: connection.hostName };
  await deps.iot.addLink(link);
  deps.log.info(`${connection.created ? 'Created' : 'Using'} device identity ${link.deviceId} (certificateAuthority) on IoT hub ${connection.hostName}.`);
  void showConnectionOutcome({
    headline: `${board.label} ${connection.created ? 'now has an identity' : 'uses its existing identity'} on IoT hub ${hub.name}.`,
    settings: iotManifestSettings({ kind: 'hub', hubHostName: connection.hostName }, tenant.Id),
    readiness,
    link,
    sample: board.descriptor.kind === 'simulator' ? { dir: deps.samplesDir, boardKey: board.key } : undefined,
  });
  return { ...connection, link };
}
