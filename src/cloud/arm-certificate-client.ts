// Azure Resource Manager client for IoT Hubs and Device Provisioning Services (docs/cloud-api.md#iot-hub-and-dps-certificates-arm):
// their CA certificates (upload a CA, generate a verification code, verify with a proof certificate, get, list,
// delete), their host names, and the access keys their data planes are signed with.
// Every change after the upload carries the certificate's etag in If-Match, as ARM requires.
import { AuthorizedHttp, bearerAuthorization, type CloudClientOptions } from './authorized-http';
import type { ParsedCertificate } from './certificates';
import { InvalidArgumentError } from './errors';
import { safeLogger } from './logger';
import { retryPolicy } from './retry-policy';
import { resolveCloudSettings } from './settings';
import { requireGuid } from './validate';

/** Which hub: an IoT Hub or a DPS instance, addressed by subscription and resource group. */
export interface HubRef {
  readonly kind: 'iotHub' | 'dps';
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

export interface HubCertificateProperties {
  readonly subject?: string;
  readonly expiry?: string;
  readonly thumbprint?: string;
  readonly isVerified: boolean;
  readonly created?: string;
  readonly updated?: string;
  readonly certificate?: string;
  /** Present only in the generateVerificationCode response. */
  readonly verificationCode?: string;
}

export interface HubCertificate {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly etag: string;
  readonly properties: HubCertificateProperties;
}

export interface ArmSubscription {
  readonly subscriptionId: string;
  readonly displayName: string;
  readonly tenantId?: string;
  readonly state?: string;
}

/** An IoT Hub or DPS instance as ARM lists it. */
export interface HubResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location?: string;
  readonly properties?: {
    /** IoT Hub: the data plane's host name (`my-hub.azure-devices.net`). */
    readonly hostName?: string;
    /** DPS: where its service API is. */
    readonly serviceOperationsHostName?: string;
    /** DPS: where devices register (`global.azure-devices-provisioning.net`). */
    readonly deviceProvisioningHostName?: string;
    readonly idScope?: string;
    /** DPS: the IoT hubs linked to it (`name` is the hub's host name). */
    readonly iotHubs?: readonly { readonly name: string; readonly location?: string }[];
  };
}

/** A shared access policy and its keys (ARM listkeys); the keys are secrets and are never logged or stored. */
export interface SharedAccessPolicy {
  readonly keyName: string;
  readonly primaryKey: string;
  readonly secondaryKey?: string;
  readonly rights: string;
}

export interface ArmCertificateClientOptions extends CloudClientOptions {
  /** api-version per resource type (defaults: IoT Hub 2023-06-30, DPS 2022-12-12). */
  readonly apiVersions?: Partial<Record<HubRef['kind'], string>>;
}

const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
const DEFAULT_API_VERSIONS: Record<HubRef['kind'], string> = { iotHub: '2023-06-30', dps: '2022-12-12' };
const PROVIDER_TYPE: Record<HubRef['kind'], string> = { iotHub: 'IotHubs', dps: 'provisioningServices' };
const KIND_LABEL: Record<HubRef['kind'], string> = { iotHub: 'IoT hub', dps: 'provisioning service' };

export class ArmCertificateClient {
  private readonly http: AuthorizedHttp;
  private readonly apiVersions: Record<HubRef['kind'], string>;

  constructor(options: ArmCertificateClientOptions) {
    const settings = resolveCloudSettings(options.settings);
    this.apiVersions = { ...DEFAULT_API_VERSIONS, ...options.apiVersions };
    this.http = new AuthorizedHttp({
      baseUrl: settings.armEndpoint,
      authorization: bearerAuthorization(options.tokens, settings.armScopes),
      transport: options.transport,
      retry: retryPolicy(options.retry),
      logger: safeLogger(options.logger),
    });
  }

  /** Subscriptions the signed-in user can see (to find hubs in). */
  async listSubscriptions(signal?: AbortSignal): Promise<ArmSubscription[]> {
    const body = await this.http.json<{ value?: ArmSubscription[] }>({
      method: 'GET',
      path: 'subscriptions',
      query: { 'api-version': SUBSCRIPTIONS_API_VERSION },
      what: 'Listing Azure subscriptions',
      signal,
    });
    return body?.value ?? [];
  }

  /** IoT hubs or provisioning services of a subscription; `toHubRef` turns one into a HubRef. */
  async listHubs(subscriptionId: string, kind: HubRef['kind'], signal?: AbortSignal): Promise<HubResource[]> {
    const sub = requireGuid('subscription ID', subscriptionId);
    const body = await this.http.json<{ value?: HubResource[] }>({
      method: 'GET',
      path: `subscriptions/${sub}/providers/Microsoft.Devices/${PROVIDER_TYPE[kind]}`,
      query: { 'api-version': this.apiVersions[kind] },
      what: `Listing ${KIND_LABEL[kind]}s of subscription ${sub}`,
      signal,
    });
    return body?.value ?? [];
  }

  /** One IoT hub or provisioning service, with its host names (see HubResource.properties). */
  async getHub(hub: HubRef, signal?: AbortSignal): Promise<HubResource> {
    return this.http.json<HubResource>({
      method: 'GET',
      path: this.hubPath(hub),
      query: this.version(hub),
      what: `Reading ${describe(hub)}`,
      signal,
    });
  }

  /**
   * The shared access policy `policyName` with its keys (`POST …/listkeys`; needs a role that may read keys, such as
   * Contributor). The key signs data-plane requests and stays in memory.
   */
  async getSharedAccessPolicy(hub: HubRef, policyName: string, signal?: AbortSignal): Promise<SharedAccessPolicy> {
    const body = await this.http.json<{ value?: SharedAccessPolicy[] }>({
      method: 'POST',
      path: `${this.hubPath(hub)}/listkeys`,
      query: this.version(hub),
      idempotent: true,
      what: `Reading the access keys of ${describe(hub)}`,
      signal,
    });
    const policy = body?.value?.find((p) => p.keyName === policyName);
    if (!policy?.primaryKey) {
      throw new InvalidArgumentError(`${describe(hub)} has no shared access policy "${policyName}"; ask its owner to add one with ${policyName === 'iothubowner' ? 'RegistryWrite' : 'EnrollmentWrite'} rights.`);
    }
    return policy;
  }

  /**
   * Uploads (or replaces, with `etag`) a CA certificate, unverified. `certificate` is a parsed certificate or the
   * PEM / base64 text IoT Hub accepts.
   */
  async uploadCertificate(hub: HubRef, certificateName: string, certificate: ParsedCertificate | string, options: { etag?: string; signal?: AbortSignal } = {}): Promise<HubCertificate> {
    const path = this.certificatePath(hub, certificateName);
    const body = typeof certificate === 'string' ? requireCertificateText(certificate) : certificate.der.toString('base64');
    return this.http.json<HubCertificate>({
      method: 'PUT',
      path,
      query: this.version(hub),
      headers: options.etag ? { 'if-match': requireEtag(options.etag) } : undefined,
      json: { properties: { certificate: body, isVerified: false } },
      what: `Uploading certificate "${certificateName}" to ${describe(hub)}`,
      signal: options.signal,
    });
  }

  async getCertificate(hub: HubRef, certificateName: string, signal?: AbortSignal): Promise<HubCertificate> {
    return this.http.json<HubCertificate>({
      method: 'GET',
      path: this.certificatePath(hub, certificateName),
      query: this.version(hub),
      what: `Reading certificate "${certificateName}" of ${describe(hub)}`,
      signal,
    });
  }

  async listCertificates(hub: HubRef, signal?: AbortSignal): Promise<HubCertificate[]> {
    const body = await this.http.json<{ value?: HubCertificate[] }>({
      method: 'GET',
      path: `${this.hubPath(hub)}/certificates`,
      query: this.version(hub),
      what: `Listing certificates of ${describe(hub)}`,
      signal,
    });
    return body?.value ?? [];
  }

  /** Asks the hub for a verification code (nonce); the response carries it and the certificate's new etag. */
  async generateVerificationCode(hub: HubRef, certificateName: string, etag: string, signal?: AbortSignal): Promise<HubCertificate & { properties: { verificationCode: string } }> {
    const result = await this.http.json<HubCertificate>({
      method: 'POST',
      path: `${this.certificatePath(hub, certificateName)}/generateVerificationCode`,
      query: this.version(hub),
      headers: { 'if-match': requireEtag(etag) },
      what: `Generating a verification code for certificate "${certificateName}" of ${describe(hub)}`,
      signal,
    });
    if (!result?.properties?.verificationCode) {
      throw new InvalidArgumentError(`${describe(hub)} returned no verification code for "${certificateName}".`);
    }
    return result as HubCertificate & { properties: { verificationCode: string } };
  }

  /** Uploads the proof-of-possession certificate; on success the hub marks the CA verified. */
  async verifyCertificate(hub: HubRef, certificateName: string, etag: string, proof: ParsedCertificate | string, signal?: AbortSignal): Promise<HubCertificate> {
    const body = typeof proof === 'string' ? requireCertificateText(proof) : proof.der.toString('base64');
    return this.http.json<HubCertificate>({
      method: 'POST',
      path: `${this.certificatePath(hub, certificateName)}/verify`,
      query: this.version(hub),
      headers: { 'if-match': requireEtag(etag) },
      json: { certificate: body },
      what: `Verifying certificate "${certificateName}" of ${describe(hub)}`,
      signal,
    });
  }

  async deleteCertificate(hub: HubRef, certificateName: string, etag: string, signal?: AbortSignal): Promise<void> {
    await this.http.send({
      method: 'DELETE',
      path: this.certificatePath(hub, certificateName),
      query: this.version(hub),
      headers: { 'if-match': requireEtag(etag) },
      what: `Deleting certificate "${certificateName}" of ${describe(hub)}`,
      signal,
    });
  }

  private version(hub: HubRef): Record<string, string> {
    return { 'api-version': this.apiVersions[hub.kind] };
  }

  private hubPath(hub: HubRef): string {
    const sub = requireGuid('subscription ID', hub.subscriptionId);
    const rg = requireResourceGroup(hub.resourceGroup);
    const name = requireHubName(hub);
    return `subscriptions/${sub}/resourceGroups/${encodeURIComponent(rg)}/providers/Microsoft.Devices/${PROVIDER_TYPE[hub.kind]}/${name}`;
  }

  private certificatePath(hub: HubRef, certificateName: string): string {
    if (!/^[A-Za-z0-9-._]{1,64}$/.test(certificateName ?? '')) {
      throw new InvalidArgumentError(`Certificate name "${certificateName}" must be 1–64 letters, digits, '-', '.' or '_'.`);
    }
    return `${this.hubPath(hub)}/certificates/${certificateName}`;
  }
}

/** The HubRef for a resource from `listHubs` (its ID names subscription and resource group). */
export function toHubRef(resource: HubResource): HubRef {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Devices\/(IotHubs|provisioningServices)\/([^/]+)$/i.exec(resource.id);
  if (!m) throw new InvalidArgumentError(`"${resource.id}" is not an IoT Hub or DPS resource ID.`);
  return { kind: m[3]!.toLowerCase() === 'iothubs' ? 'iotHub' : 'dps', subscriptionId: m[1]!, resourceGroup: m[2]!, name: m[4]! };
}

function describe(hub: HubRef): string {
  return `${KIND_LABEL[hub.kind]} "${hub.name}"`;
}

function requireResourceGroup(value: string): string {
  if (!/^[-\w._()]{1,90}$/.test(value ?? '') || value.endsWith('.')) {
    throw new InvalidArgumentError(`Resource group "${value}" must be 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'.`);
  }
  return value;
}

function requireHubName(hub: HubRef): string {
  if (hub.kind !== 'iotHub' && hub.kind !== 'dps') throw new InvalidArgumentError(`Hub kind must be "iotHub" or "dps", got "${String(hub.kind)}".`);
  if (!/^[A-Za-z0-9-]{3,50}$/.test(hub.name ?? '')) {
    throw new InvalidArgumentError(`The ${KIND_LABEL[hub.kind]} name "${hub.name}" must be 3–50 letters, digits or '-'.`);
  }
  return hub.name;
}

function requireEtag(etag: string): string {
  if (!etag || /[\r\n]/.test(etag)) throw new InvalidArgumentError('An etag is required (read the certificate first to get its current etag).');
  return etag;
}

function requireCertificateText(text: string): string {
  const t = text.trim();
  if (!t) throw new InvalidArgumentError('The certificate is empty.');
  if (!t.includes('-----BEGIN CERTIFICATE-----') && !/^[A-Za-z0-9+/=\s]+$/.test(t)) {
    throw new InvalidArgumentError('The certificate must be PEM text or base64-encoded DER.');
  }
  return t;
}
