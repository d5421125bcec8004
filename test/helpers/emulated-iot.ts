// Setting up the cloud emulator's own IoT hub and DPS for a device, the way a person does it in Azure: the tenant CA
// uploaded to the hub (or DPS) and verified by proof of possession (ARM), a shared access key from ARM listkeys, a
// CA-signed device identity on the hub's service API or an enrollment group on the DPS's, and the hub's telemetry
// read from the emulator's Server-Sent Events stream (`GET /$emulator/telemetry`). Plain HTTPS that trusts only the
// emulator's CA.
import * as assert from 'node:assert/strict';
import { request } from 'node:https';
import { systemClock, type Clock } from '../../emulator/common/clock';
import type { CloudEmulator } from '../../emulator/cloud/index';
import { sharedAccessSignature, type SasKey } from '../../src/cloud/iot/sas-token';
import { call } from './cloud-emulator';

export interface ArmHub {
  subscriptionId: string;
  resourceGroup: string;
  kind: 'IotHubs' | 'provisioningServices';
  name: string;
}

export interface Tokens {
  sphere: string;
  arm: string;
}

export interface TelemetryMessage {
  deviceId: string;
  enqueuedTime: string;
  properties: Record<string, string>;
  body: string;
}

const armBase = (hub: ArmHub) => `/subscriptions/${hub.subscriptionId}/resourceGroups/${hub.resourceGroup}/providers/Microsoft.Devices/${hub.kind}/${hub.name}`;
const armApi = (hub: ArmHub) => `?api-version=${hub.kind === 'IotHubs' ? '2023-06-30' : '2022-12-12'}`;

/** Uploads the tenant's CA to `hub` as `certName` and proves possession, as the certificate wizard does. */
export async function proveTenantCaOn(emulator: CloudEmulator, tokens: Tokens, hub: ArmHub, tenantId: string, certName = 'sphere-tenant-ca'): Promise<void> {
  const arm = (path: string, opts: Parameters<typeof call>[2] = {}) => call(emulator, `${armBase(hub)}/certificates/${certName}${path}${armApi(hub)}`, { ...opts, token: tokens.arm });
  const ca = await call(emulator, `/v2/tenants/${tenantId}/cert`, { token: tokens.sphere });
  assert.equal(ca.status, 200, ca.text);
  const uploaded = await arm('', { method: 'PUT', body: { properties: { certificate: ca.json as string } } });
  assert.equal(uploaded.status, 201, uploaded.text);
  const generated = await arm('/generateVerificationCode', { method: 'POST', headers: { 'If-Match': (uploaded.json as { etag: string }).etag } });
  assert.equal(generated.status, 200, generated.text);
  const { etag, properties } = generated.json as { etag: string; properties: { verificationCode: string } };
  const proof = await call(emulator, `/v2/tenants/${tenantId}/verification/${properties.verificationCode}`, { token: tokens.sphere });
  assert.equal(proof.status, 200, proof.text);
  const verified = await arm('/verify', { method: 'POST', headers: { 'If-Match': etag }, body: { certificate: proof.json as string } });
  assert.equal(verified.status, 200, verified.text);
}

/** A policy's primary key from ARM listkeys (`iothubowner` for a hub, `provisioningserviceowner` for a DPS). */
export async function sharedAccessKey(emulator: CloudEmulator, tokens: Tokens, hub: ArmHub): Promise<SasKey> {
  const keyName = hub.kind === 'IotHubs' ? 'iothubowner' : 'provisioningserviceowner';
  const res = await call(emulator, `${armBase(hub)}/listkeys${armApi(hub)}`, { method: 'POST', token: tokens.arm });
  assert.equal(res.status, 200, res.text);
  const policy = (res.json as { value: { keyName: string; primaryKey: string }[] }).value.find((p) => p.keyName === keyName);
  assert.ok(policy, `listkeys has no ${keyName}`);
  return { keyName, key: policy.primaryKey };
}

/** A service SAS valid for an hour by `clock`: the emulator checks expiry by its own clock, which tests may move. */
const sas = (hostName: string, key: SasKey, clock: Clock) => sharedAccessSignature(hostName, key, Math.floor(clock.now() / 1000) + 3600);

/** A device identity that authenticates with a CA-signed certificate (CN = device ID), on the hub's service API. */
export async function createCaSignedDevice(emulator: CloudEmulator, hubHostName: string, key: SasKey, deviceId: string, clock: Clock = systemClock): Promise<void> {
  const res = await call({ url: `https://${hubHostName}`, caCertPem: emulator.caCertPem }, `/devices/${deviceId}?api-version=2021-04-12`, {
    method: 'PUT',
    headers: { authorization: sas(hubHostName, key, clock) },
    body: { deviceId, status: 'enabled', authentication: { type: 'certificateAuthority' } },
  });
  assert.equal(res.status, 200, res.text);
}

/** An X.509 enrollment group trusting the CA uploaded to the DPS as `caName`, on the DPS's service API. */
export async function createEnrollmentGroup(emulator: CloudEmulator, dpsServiceHostName: string, key: SasKey, groupId: string, caName: string, clock: Clock = systemClock): Promise<void> {
  const res = await call({ url: `https://${dpsServiceHostName}`, caCertPem: emulator.caCertPem }, `/enrollmentGroups/${groupId}?api-version=2021-10-01`, {
    method: 'PUT',
    headers: { authorization: sas(dpsServiceHostName, key, clock) },
    body: { enrollmentGroupId: groupId, attestation: { type: 'x509', x509: { caReferences: { primary: caName } } }, provisioningStatus: 'enabled' },
  });
  assert.ok(res.status === 200 || res.status === 201, `${res.status} ${res.text}`);
}

/** Reads the hub's telemetry stream for one device until `close()`; `messages` fills as they arrive. */
export function telemetryStream(emulator: CloudEmulator, hubHostName: string, key: SasKey, deviceId: string, clock: Clock = systemClock): { messages: TelemetryMessage[]; close(): void } {
  const messages: TelemetryMessage[] = [];
  let buffer = '';
  const req = request(`https://${hubHostName}/$emulator/telemetry?deviceId=${deviceId}`, { ca: emulator.caCertPem, headers: { authorization: sas(hubHostName, key, clock) } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        // Telemetry comes as bare `data:` events; `event: connection` ones report (dis)connections.
        if (block.some((line) => line.startsWith('event:'))) continue;
        const data = block.find((line) => line.startsWith('data: '));
        if (data) messages.push(JSON.parse(data.slice(6)) as TelemetryMessage);
      }
    });
  });
  req.on('error', () => undefined); // closing the stream aborts the request
  req.end();
  return { messages, close: () => req.destroy() };
}
