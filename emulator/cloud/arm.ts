// Azure Resource Manager shapes for IoT Hub and DPS CA certificates (docs/cloud-api.md#iot-hub-and-dps-certificates-arm):
// upload, get, list, delete, generateVerificationCode and verify (proof of possession), with etags and If-Match,
// `{"error":{code,message}}` errors, and what a client needs to find and use a hub: subscriptions, hubs with their
// host names (the emulator's own endpoints, iot/iot-endpoints.ts), and their shared access keys (listkeys).
// Certificates are read with node:crypto (iot/x509.ts), so EC CAs — as Azure Sphere's are — upload like RSA ones.
import { etagOfIfMatch } from '../common/if-match';
import { randomBytes, type X509Certificate } from 'node:crypto';
import { authenticate } from './auth';
import type { EmulatorContext } from './context';
import { jsonObjectBody, jsonResponse, JsonBodyError, pathSegments, type EmuRequest, type EmuResponse } from './http';
import { linkedHubKeys } from './iot/dps-links';
import type { IotEndpoints } from './iot/iot-endpoints';
import { commonName, isIssuedBy, isWithinValidity, nameLine, notAfter, parseCertificateText, sha1Thumbprint } from './iot/x509';
import { hubKey, type Hub, type HubCertificate, type HubKind, type User } from './model';
import { ARM_AUDIENCE } from './scopes';
import type { ArmSphereService } from './arm-sphere/sphere-service';

const CERT_NAME = /^[A-Za-z0-9-._]{1,64}$/;
const RESOURCE_TYPES: Record<string, HubKind> = { iothubs: 'IotHubs', provisioningservices: 'provisioningServices' };

class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function newEtag(): string {
  return randomBytes(8).toString('base64');
}

function rfc1123(date: Date | string): string {
  return new Date(date).toUTCString();
}

/**
 * Test hook (in-process emulators only): the next proof sent for `certificateName` on hub `hubName` arrives just after
 * a colleague pressed "Generate Verification Code" in the portal, so it carries a stale code and the hub refuses it
 * through the same check a real stale code meets. Module-wide because tests reach the emulator only through HTTP
 * and this import; keys are lower-case `hub/certificate`.
 */
const staleCodeBeforeNextVerify = new Set<string>();

export function regenerateCodeBeforeNextVerify(hubName: string, certificateName: string): void {
  staleCodeBeforeNextVerify.add(`${hubName}/${certificateName}`.toLowerCase());
}

/** Where the emulator says its resource groups are (their metadata's location; the resources are local anyway). */
const RESOURCE_GROUP_LOCATION = 'westus2';

export class ArmService {
  constructor(
    private readonly ctx: EmulatorContext,
    private readonly iot?: IotEndpoints,
    /** Microsoft.AzureSphere (Azure Sphere Integrated, arm-sphere/); absent = those paths are not served. */
    private readonly sphere?: ArmSphereService,
  ) {}

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const s = pathSegments(req.path);
    const sphereOperations = s?.[0]?.toLowerCase() === 'providers' && s[1]?.toLowerCase() === 'microsoft.azuresphere';
    if (!s || (s[0]?.toLowerCase() !== 'subscriptions' && !(this.sphere && sphereOperations))) return undefined;
    const auth = authenticate(this.ctx, req, ARM_AUDIENCE);
    if (!auth.ok) {
      return auth.missing
        ? this.error(new ArmError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."))
        : this.error(new ArmError(401, 'InvalidAuthenticationToken', `The access token is invalid: ${auth.reason}.`));
    }
    try {
      if (!req.url.searchParams.get('api-version')) {
        throw new ArmError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      }
      return await this.route(req, s, auth.user);
    } catch (err) {
      if (err instanceof ArmError) return this.error(err);
      if (err instanceof JsonBodyError) return this.error(new ArmError(400, 'InvalidRequestContent', err.message));
      throw err;
    }
  }

  private error(err: ArmError): EmuResponse {
    return jsonResponse(err.status, { error: { code: err.code, message: err.message } });
  }

  private async route(req: EmuRequest, s: string[], user: User): Promise<EmuResponse | undefined> {
    const lower = s.map((x) => x.toLowerCase());
    const m = req.method;
    // Microsoft.AzureSphere: /providers/…/operations, /subscriptions/{s}/providers/…, …/resourceGroups/{rg}/providers/…
    const sphereNamespace = lower[0] === 'providers' ? lower[1] : lower[2] === 'providers' ? lower[3] : lower[4] === 'providers' ? lower[5] : undefined;
    if (this.sphere && sphereNamespace === 'microsoft.azuresphere') return this.sphere.handle(req, s, user);
    if (s.length === 1 && m === 'GET') return this.listSubscriptions(user);
    const subscriptionId = lower[1]!;
    // /subscriptions/{sub}/resourcegroups: the groups that hold something here (hubs, catalogs).
    if (s.length === 3 && lower[2] === 'resourcegroups' && m === 'GET') {
      this.subscriptionFor(subscriptionId, user);
      return jsonResponse(200, { value: this.resourceGroups(subscriptionId) });
    }
    // /subscriptions/{sub}/providers/Microsoft.Devices/{type}
    if (s.length === 5 && lower[2] === 'providers' && lower[3] === 'microsoft.devices' && RESOURCE_TYPES[lower[4]!] && m === 'GET') {
      this.subscriptionFor(subscriptionId, user);
      const kind = RESOURCE_TYPES[lower[4]!]!;
      const hubs = [...this.ctx.store.state.hubs.values()].filter((h) => h.subscriptionId === subscriptionId && h.kind === kind);
      return jsonResponse(200, { value: hubs.map((h) => this.hubDescription(h)) });
    }
    if (s.length < 8 || lower[2] !== 'resourcegroups' || lower[4] !== 'providers' || lower[5] !== 'microsoft.devices' || !RESOURCE_TYPES[lower[6]!]) return undefined;
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Devices/{type}/{name}[/listkeys]
    if (s.length === 8 && m === 'GET') return jsonResponse(200, this.hubDescription(this.hubFor(RESOURCE_TYPES[lower[6]!]!, subscriptionId, s[3]!, s[7]!, user)));
    if (s.length === 9 && lower[8] === 'listkeys' && m === 'POST') return this.listKeys(this.hubFor(RESOURCE_TYPES[lower[6]!]!, subscriptionId, s[3]!, s[7]!, user));
    // …/{name}/certificates[/{cert}[/{action}]]
    if (s.length < 9 || lower[8] !== 'certificates') return undefined;
    const hub = this.hubFor(RESOURCE_TYPES[lower[6]!]!, subscriptionId, s[3]!, s[7]!, user);
    if (s.length === 9 && m === 'GET') return jsonResponse(200, { value: [...hub.certificates.values()].map((c) => this.describe(hub, c)) });
    if (s.length < 10) return undefined;
    const name = s[9]!;
    if (!CERT_NAME.test(name)) throw new ArmError(400, 'InvalidCertificateName', `Certificate name '${name}' must match ^[A-Za-z0-9-._]{1,64}$.`);
    if (s.length === 10) {
      if (m === 'GET') return this.respond(hub, this.certificateFor(hub, name));
      if (m === 'PUT') return this.upload(req, hub, name);
      if (m === 'DELETE') return this.remove(req, hub, name);
    }
    if (s.length === 11 && m === 'POST' && lower[10] === 'generateverificationcode') return this.generateVerificationCode(req, hub, name);
    if (s.length === 11 && m === 'POST' && lower[10] === 'verify') return this.verify(req, hub, name);
    return undefined;
  }

  private listSubscriptions(user: User): EmuResponse {
    const subs = [...this.ctx.store.state.subscriptions.values()].filter((sub) => sub.directoryId === user.directoryId);
    return jsonResponse(200, {
      value: subs.map((sub) => ({ id: `/subscriptions/${sub.id}`, subscriptionId: sub.id, tenantId: sub.directoryId, displayName: sub.displayName, state: 'Enabled' })),
    });
  }

  /** An emulated subscription's resource groups are those its resources name (ARM lists them by name, any case). */
  private resourceGroups(subscriptionId: string): Record<string, unknown>[] {
    const state = this.ctx.store.state;
    const names = new Map<string, string>();
    for (const hub of state.hubs.values()) if (hub.subscriptionId === subscriptionId) names.set(hub.resourceGroup.toLowerCase(), hub.resourceGroup);
    for (const c of state.sphere.catalogs.values()) if (c.subscriptionId === subscriptionId) names.set(c.resourceGroup.toLowerCase(), c.resourceGroup);
    return [...names.values()]
      .sort((a, b) => a.localeCompare(b))
      .map((name) => ({ id: `/subscriptions/${subscriptionId}/resourceGroups/${name}`, name, type: 'Microsoft.Resources/resourceGroups', location: RESOURCE_GROUP_LOCATION, properties: { provisioningState: 'Succeeded' } }));
  }

  private subscriptionFor(subscriptionId: string, user: User): void {
    const sub = this.ctx.store.state.subscriptions.get(subscriptionId);
    if (!sub) throw new ArmError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (sub.directoryId !== user.directoryId) {
      throw new ArmError(403, 'AuthorizationFailed', `The client '${user.email}' with object id '${user.oid}' does not have authorization to perform this action over scope '/subscriptions/${subscriptionId}' or the scope is invalid.`);
    }
  }

  private hubFor(kind: HubKind, subscriptionId: string, resourceGroup: string, name: string, user: User): Hub {
    this.subscriptionFor(subscriptionId, user);
    const hub = this.ctx.store.state.hubs.get(hubKey(kind, subscriptionId, resourceGroup, name));
    if (!hub) throw new ArmError(404, 'ResourceNotFound', `The Resource 'Microsoft.Devices/${kind}/${name}' under resource group '${resourceGroup}' was not found.`);
    return hub;
  }

  private certificateFor(hub: Hub, name: string): HubCertificate {
    const cert = hub.certificates.get(name.toLowerCase());
    if (!cert) throw new ArmError(404, 'CertificateNotFound', `Certificate '${name}' was not found in ${hub.name}.`);
    return cert;
  }

  private hubId(hub: Hub): string {
    return `/subscriptions/${hub.subscriptionId}/resourceGroups/${hub.resourceGroup}/providers/Microsoft.Devices/${hub.kind}/${hub.name}`;
  }

  /**
   * The hub or DPS as ARM describes it, with the emulator's host names: an IoT hub's `hostName`; a DPS's
   * `serviceOperationsHostName`, `deviceProvisioningHostName` (the global provisioning endpoint), `idScope` and
   * linked hubs (every IoT hub of its subscription).
   */
  private hubDescription(hub: Hub): Record<string, unknown> {
    const key = hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name);
    const properties: Record<string, unknown> = { state: 'Active', provisioningState: 'Succeeded' };
    const hostName = this.iot?.hostName(key);
    if (hub.kind === 'IotHubs') {
      if (hostName) properties.hostName = hostName;
    } else if (this.iot) {
      properties.serviceOperationsHostName = hostName;
      properties.deviceProvisioningHostName = this.iot.provisioningHost;
      properties.idScope = this.iot.idScope(key);
      properties.allocationPolicy = 'Hashed';
      properties.iotHubs = linkedHubKeys(this.ctx.store.state, key).map((k) => ({ name: this.iot!.hostName(k), location: this.ctx.store.state.hubs.get(k)!.location }));
    }
    return { id: this.hubId(hub), name: hub.name, type: `Microsoft.Devices/${hub.kind}`, location: hub.location, properties };
  }

  /**
   * The shared access policies with their keys (IoT Hub: IotHubResource_ListKeys; DPS: IotDpsResource_ListKeys). ARM
   * lets Contributors and Owners of the subscription read keys; the emulator has no subscription roles, and a user
   * of the subscription's directory may use it (subscriptionFor).
   */
  private listKeys(hub: Hub): EmuResponse {
    if (!this.iot) throw new ArmError(404, 'NotFound', 'The emulated hubs are not running, so they have no keys.');
    return jsonResponse(200, { value: this.iot.keys.listKeys(hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name), hub.kind) });
  }

  private describe(hub: Hub, cert: HubCertificate, withCode = false): Record<string, unknown> {
    const parsed = parseCertificateText(cert.certPem);
    const properties: Record<string, unknown> = {
      subject: nameLine(parsed.subject),
      expiry: rfc1123(notAfter(parsed)),
      thumbprint: sha1Thumbprint(parsed),
      isVerified: cert.isVerified,
      created: rfc1123(cert.created),
      updated: rfc1123(cert.updated),
      certificate: cert.certPem,
    };
    if (withCode) properties.verificationCode = cert.verificationCode;
    return { id: `${this.hubId(hub)}/certificates/${cert.name}`, name: cert.name, type: `Microsoft.Devices/${hub.kind}/Certificates`, etag: cert.etag, properties };
  }

  private respond(hub: Hub, cert: HubCertificate, status = 200, withCode = false): EmuResponse {
    return jsonResponse(status, this.describe(hub, cert, withCode), { etag: cert.etag });
  }

  /** If-Match must be present and name the current etag (or be `*`). */
  private checkIfMatch(req: EmuRequest, cert: HubCertificate): void {
    const header = req.headers['if-match'];
    if (typeof header !== 'string' || header.length === 0) {
      throw new ArmError(400, 'PreconditionRequired', `The If-Match header with the certificate's etag is required for this operation on '${cert.name}'.`);
    }
    const presented = etagOfIfMatch(header);
    if (presented !== '*' && presented !== cert.etag) {
      throw new ArmError(412, 'PreconditionFailed', `The etag '${presented}' does not match the current etag of certificate '${cert.name}'.`);
    }
  }

  private async upload(req: EmuRequest, hub: Hub, name: string): Promise<EmuResponse> {
    const body = jsonObjectBody(req);
    const props = body.properties as { certificate?: unknown; isVerified?: unknown } | undefined;
    if (typeof props !== 'object' || props === null || typeof props.certificate !== 'string') {
      throw new ArmError(400, 'InvalidRequestContent', 'The body must be {"properties":{"certificate":"<PEM or base64 DER>"}}.');
    }
    if (props.isVerified === true) {
      throw new ArmError(400, 'InvalidRequestContent', 'This emulator verifies certificates only through proof of possession; upload with isVerified false.');
    }
    let parsed: X509Certificate;
    try {
      parsed = parseCertificateText(props.certificate);
    } catch (err) {
      throw new ArmError(400, 'InvalidCertificate', `The certificate could not be read: ${(err as Error).message}.`);
    }
    const existing = hub.certificates.get(name.toLowerCase());
    if (existing) this.checkIfMatch(req, existing);
    const now = new Date().toISOString();
    const cert: HubCertificate = {
      name: existing?.name ?? name,
      certPem: parsed.toString(),
      etag: newEtag(),
      isVerified: false,
      created: existing?.created ?? now,
      updated: now,
      verificationCode: null,
    };
    await this.ctx.store.commit({ t: 'hubCert', hubKey: hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name), certificate: cert });
    return this.respond(hub, cert, existing ? 200 : 201);
  }

  private async remove(req: EmuRequest, hub: Hub, name: string): Promise<EmuResponse> {
    const cert = this.certificateFor(hub, name);
    this.checkIfMatch(req, cert);
    await this.ctx.store.commit({ t: 'hubCertDelete', hubKey: hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name), name: cert.name });
    return { status: 200 };
  }

  private async generateVerificationCode(req: EmuRequest, hub: Hub, name: string): Promise<EmuResponse> {
    const current = this.certificateFor(hub, name);
    this.checkIfMatch(req, current);
    return this.respond(hub, await this.withNewVerificationCode(hub, current), 200, true);
  }

  /** A fresh code (40 upper-case hex, as IoT Hub shows them) replaces any earlier one, with a new etag. */
  private async withNewVerificationCode(hub: Hub, current: HubCertificate): Promise<HubCertificate> {
    const cert: HubCertificate = { ...current, verificationCode: randomBytes(20).toString('hex').toUpperCase(), etag: newEtag(), updated: new Date().toISOString() };
    await this.ctx.store.commit({ t: 'hubCert', hubKey: hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name), certificate: cert });
    return cert;
  }

  private async verify(req: EmuRequest, hub: Hub, name: string): Promise<EmuResponse> {
    let current = this.certificateFor(hub, name);
    this.checkIfMatch(req, current);
    const proofText = jsonObjectBody(req).certificate;
    if (typeof proofText !== 'string') throw new ArmError(400, 'InvalidRequestContent', 'The body must be {"certificate":"<PEM or base64 DER of the verification certificate>"}.');
    if (!current.verificationCode) {
      throw new ArmError(400, 'VerificationCodeNotGenerated', `No verification code has been generated for certificate '${current.name}'; call generateVerificationCode first.`);
    }
    let proof: X509Certificate;
    try {
      proof = parseCertificateText(proofText);
    } catch (err) {
      throw new ArmError(400, 'InvalidCertificate', `The verification certificate could not be read: ${(err as Error).message}.`);
    }
    if (!isIssuedBy(proof, parseCertificateText(current.certPem))) {
      throw new ArmError(400, 'CertificateVerificationFailed', `The verification certificate is not signed by the private key of CA certificate '${current.name}'.`);
    }
    const cn = commonName(proof);
    if (staleCodeBeforeNextVerify.delete(`${hub.name}/${current.name}`.toLowerCase())) {
      current = await this.withNewVerificationCode(hub, current);
    }
    if (cn !== current.verificationCode) {
      throw new ArmError(400, 'CertificateVerificationFailed', `The verification certificate's subject CN '${cn ?? ''}' is not the last verification code generated for '${current.name}'.`);
    }
    // By the emulator's clock, as every certificate check of the emulated hubs (tests may move it).
    const now = new Date(this.ctx.clock.now());
    if (!isWithinValidity(proof, now.getTime())) {
      throw new ArmError(400, 'CertificateVerificationFailed', 'The verification certificate is not within its validity period.');
    }
    const cert: HubCertificate = { ...current, isVerified: true, verificationCode: null, etag: newEtag(), updated: now.toISOString() };
    await this.ctx.store.commit({ t: 'hubCert', hubKey: hubKey(hub.kind, hub.subscriptionId, hub.resourceGroup, hub.name), certificate: cert });
    return this.respond(hub, cert);
  }
}
