// The emulator's stand-in for daily device attestation: `POST /v2/devices/{deviceId}/dailycertificate`.
//
// A real board attests to the Azure Sphere security service once a day over a private protocol (its Pluton subsystem
// proves it holds the device key and runs genuine software) and receives, among others, the certificate apps use to
// reach IoT Hub (learn.microsoft.com/azure-sphere/deployment/certificate-use-with-azure-sphere). That protocol is not
// public, so the emulator offers this route instead: no bearer token, the device proves itself by signing
// "<DEVICE ID, upper case>\n<timestamp>" with its device key (whose public half *is* the device ID), and the timestamp
// must be within five minutes of the emulator's clock — a board whose clock is not synced cannot attest, as on real
// hardware. Contract: docs/cloud-api.md#daily-device-certificate-emulator.
import type { EmulatorContext } from './context';
import { activeTenantCa, issueDeviceCertificate } from './device-certificate';
import { authenticateDevice, deviceFailure as fail } from './device-signature';
import { jsonObjectBody, jsonResponse, JsonBodyError, pathSegments, type EmuRequest, type EmuResponse } from './http';
import { ErrorCode } from './model';

export { ATTESTATION_CLOCK_SKEW_MS, attestationMessage } from './device-signature';

export class DailyCertificateApi {
  constructor(private readonly ctx: EmulatorContext) {}

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const s = pathSegments(req.path);
    if (!s || s.length !== 4 || s[0] !== 'v2' || s[1] !== 'devices' || s[3]!.toLowerCase() !== 'dailycertificate') return undefined;
    if (req.method !== 'POST') return { ...fail(405, ErrorCode.BadRequest, `Use POST on ${req.path}.`), headers: { 'content-type': 'application/json; charset=utf-8', allow: 'POST' } };
    return this.issue(req, s[2]!);
  }

  private issue(req: EmuRequest, rawDeviceId: string): EmuResponse {
    let body: Record<string, unknown>;
    try {
      body = jsonObjectBody(req);
    } catch (err) {
      if (err instanceof JsonBodyError) return fail(400, ErrorCode.BadRequest, `${err.message}: {"timestamp", "signature"}.`);
      throw err;
    }
    const device = authenticateDevice(this.ctx, rawDeviceId, body.timestamp, body.signature);
    if ('failure' in device) return device.failure;
    const { deviceId } = device;
    const now = this.ctx.clock.now();
    const tenantId = this.ctx.store.state.claims.get(deviceId);
    const tenant = tenantId === undefined ? undefined : this.ctx.store.state.tenants.get(tenantId);
    if (!tenant) return fail(404, ErrorCode.NotFound, `Device '${deviceId}' is not claimed; claim it into a tenant first.`);
    const ca = activeTenantCa(tenant.cas, now);
    if (!ca) return fail(404, ErrorCode.NotFound, `Tenant '${tenant.name}' has no CA certificate valid now to issue device certificates with.`);
    return jsonResponse(200, issueDeviceCertificate({ tenantId: tenant.id, ca, deviceId, now }));
  }
}
