// "Create DPS Enrollment Group…": an enrollment group on a Device Provisioning Service that trusts the board's tenant
// CA and assigns to a linked IoT hub (created, or updated in place when the name exists); the board is linked through
// it, so the Devices view shows its registration (registration ID = the device ID in lower case) and its identity on
// the assigned hub. Nothing is created when a check fails: CA not verified on the DPS or the hub, hub not linked.
import * as vscode from 'vscode';
import { resolveClaimedBoard } from '../boards/claimed-board';
import { iotManifestSettings } from '../cloud/iot/app-manifest-settings';
import { enrollTenantInDps, type DpsEnrollment } from '../cloud/iot/dps-enrollment';
import { requireEnrollmentGroupId } from '../cloud/iot/dps-enrollment-client';
import { hubDeviceIdFor } from '../cloud/iot/hub-device-connection';
import { CancelledError } from '../common/errors';
import type { IotFlowDeps } from './connect-board-flow';
import { showConnectionOutcome } from './connection-outcome';
import { readBoardAuthReadiness } from './board-auth-status';
import { hubFromArg, pickHub } from './hub-picker';
import type { IotLink } from './iot-links';

/** A name from the tenant's: lower case letters, digits and '-', as DPS allows. */
export function suggestedEnrollmentGroupId(tenantName: string): string {
  const stem = tenantName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100);
  return `sphere-${stem || 'tenant'}`;
}

export async function createDpsEnrollmentGroup(deps: IotFlowDeps, arg: unknown): Promise<DpsEnrollment & { link: IotLink }> {
  const { board, deviceId, tenant, scope } = await resolveClaimedBoard(deps, arg, {
    purpose: 'Enroll the tenant of which board?',
    whyTenant: 'has the CA certificate DPS must trust',
  });
  const clients = await deps.iot.clients();
  const dps = hubFromArg(arg, 'dps') ?? (await pickHub(clients.arm, 'dps', `Enroll ${tenant.Name} in which Device Provisioning Service?`));
  const hub = hubFromArg(arg, 'iotHub') ?? (await pickHub(clients.arm, 'iotHub', `Assign devices enrolled in ${dps.name} to which linked IoT hub?`));
  const given = (arg as { enrollmentGroupId?: string } | undefined)?.enrollmentGroupId;
  const groupId =
    given ??
    (await vscode.window.showInputBox({
      title: `Enrollment group on ${dps.name}`,
      prompt: `Devices of ${tenant.Name} whose certificates chain to its CA are assigned to ${hub.name}. An existing group of this name is updated.`,
      value: suggestedEnrollmentGroupId(tenant.Name),
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          requireEnrollmentGroupId(value);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    }));
  if (groupId === undefined) throw new CancelledError();
  const enrollment = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Enrolling ${tenant.Name} in ${dps.name}` },
    async () => enrollTenantInDps(clients, { ca: { scope, backend: await deps.tenants.backendFor(scope) }, dps, hub, enrollmentGroupId: groupId }),
  );
  const link: IotLink = {
    deviceId: hubDeviceIdFor(deviceId),
    tenantId: tenant.Id,
    hub,
    hubHostName: enrollment.hubHostName,
    dps: { ref: dps, idScope: enrollment.idScope, enrollmentGroupId: enrollment.group.enrollmentGroupId, deviceProvisioningHostName: enrollment.deviceProvisioningHostName },
  };
  await deps.iot.addLink(link);
  deps.log.info(`${enrollment.created ? 'Created' : 'Updated'} enrollment group ${groupId} on ${dps.name} (ID scope ${enrollment.idScope}), assigning to ${enrollment.hubHostName}.`);
  const readiness = await readBoardAuthReadiness(deps.devices, deps.claims, board).catch(() => undefined);
  void showConnectionOutcome({
    headline: `Enrollment group "${groupId}" ${enrollment.created ? 'created' : 'updated'} on ${dps.name}: devices of ${tenant.Name} register there and are assigned to ${hub.name}.`,
    settings: iotManifestSettings({ kind: 'dps', idScope: enrollment.idScope, deviceProvisioningHostName: enrollment.deviceProvisioningHostName, hubHostName: enrollment.hubHostName }, tenant.Id),
    readiness,
    link,
    sample: board.descriptor.kind === 'simulator' ? { dir: deps.samplesDir, boardKey: board.key } : undefined,
  });
  return { ...enrollment, link };
}
