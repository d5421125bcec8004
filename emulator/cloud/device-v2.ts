// `DeviceV2` as the legacy v2 API sends it (learn.microsoft.com/rest/api/azure-sphere/devices/get), from the claim,
// the device's group and its last update check — shared by the device list, the group and product lists and a read.
import type { State } from './model';

export function deviceV2(state: State, deviceId: string, tenantId: string): Record<string, unknown> {
  const group = state.fleet.groupOf(deviceId);
  return {
    DeviceId: deviceId,
    TenantId: tenantId,
    ProductId: group?.productId ?? null,
    DeviceGroupId: group?.id ?? null,
    ChipSku: 0,
    LastAvailableOSVersion: null,
    LastInstalledOSVersion: null,
    LastOSUpdateUTC: null,
    LastUpdateRequestUTC: state.fleet.checkIns.get(deviceId)?.at ?? null,
  };
}
