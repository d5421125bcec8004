// A DPS's service API on its own port (its serviceOperationsHostName), api-version 2021-10-01, shapes from the REST
// spec (Azure/azure-rest-api-specs, specification/deviceprovisioningservices/data-plane/DeviceProvisioningServices/
// stable/2021-10-01/service.json; learn.microsoft.com/rest/api/iot-dps/service/enrollment-group):
// `PUT|GET|DELETE /enrollmentGroups/{id}`, `POST /enrollmentGroups/query`,
// `POST /enrollmentGroups/{id}/attestationmechanism`, and the registration states: `GET|DELETE /registrations/{id}`,
// `POST /registrations/{enrollmentGroupId}/query`. Requests carry a SAS token for the DPS's service host name,
// signed with the `provisioningserviceowner` key from ARM listkeys.
//
// The emulator takes X.509 enrollment groups only: attestation by `caReferences` (the name of a CA certificate
// uploaded to this DPS and verified there) or by `signingCertificates` (a PEM CA certificate). PUT creates or
// replaces; `If-Match` (optional) must name the current etag.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock';
import { jsonObjectBody, JsonBodyError, jsonResponse, pathSegments, type EmuRequest, type EmuResponse } from '../http';
import type { Store } from '../store';
import type { AccessKeys, AccessRight } from './access-keys';
import { DpsError, DpsErrorCode, dpsErrorResponse } from './dps-errors';
import { linkedHubKeys } from './dps-links';
import type { DpsRegistrar } from './dps-registration';
import { ifMatchOf } from './hub-service-api';
import type { IotHttpHandler } from './iot-http';
import type { EnrollmentGroup, GroupAttestation } from './iot-state';
import { pageOf } from './query-paging';
import { verifyServiceSas } from './sas-token';
import { parseSelectAll } from './select-query';
import { certificateInfo, parseCertificateText } from './x509';

/** Enrollment group IDs: letters, digits and `- . _ :`, beginning and ending with a letter or digit, at most 128. */
const GROUP_ID = /^[A-Za-z0-9](?:[A-Za-z0-9\-._:]{0,126}[A-Za-z0-9])?$/;
const ALLOCATION_POLICIES = ['hashed', 'geoLatency', 'static'] as const;

export interface DpsServiceOptions {
  dpsKey: string;
  dpsName: string;
  hostName(): string;
  /** A hub's host name, and back (the API speaks host names, the state hub keys). */
  hubHostName(hubKey: string): string | undefined;
  hubKeyOf(hostName: string): string | undefined;
  store: Store;
  keys: AccessKeys;
  registrar: DpsRegistrar;
  clock: Clock;
}

function bad(message: string): DpsError {
  return new DpsError(400, DpsErrorCode.BadRequest, message);
}

export class DpsServiceApi {
  constructor(private readonly opts: DpsServiceOptions) {}

  readonly handle: IotHttpHandler = async (req) => {
    try {
      const s = pathSegments(req.path);
      if (!s) throw bad('The request path is not valid percent-encoding.');
      const route = this.route(req, s);
      if (!route) {
        this.authorize(req, undefined);
        throw new DpsError(404, DpsErrorCode.NotFound, `There is no ${req.method} ${req.path} on this DPS.`);
      }
      this.authorize(req, route.right);
      if (!req.url.searchParams.get('api-version')) throw bad('The api-version query parameter is required (the emulator follows 2021-10-01).');
      return await route.run();
    } catch (err) {
      if (err instanceof DpsError) return dpsErrorResponse(err, this.opts.clock.now());
      if (err instanceof JsonBodyError) return dpsErrorResponse(bad(`${err.message}.`), this.opts.clock.now());
      throw err;
    }
  };

  errorResponse = (status: 413 | 500, message: string): EmuResponse =>
    dpsErrorResponse(new DpsError(status, status === 413 ? DpsErrorCode.RequestTooLarge : DpsErrorCode.InternalServerError, message), this.opts.clock.now());

  private route(req: EmuRequest, s: string[]): { right: AccessRight; run: () => Promise<EmuResponse> | EmuResponse } | undefined {
    const m = req.method;
    const [area, id, action] = s;
    if (area === 'enrollmentGroups') {
      if (s.length === 2 && id === 'query' && m === 'POST') return { right: 'EnrollmentRead', run: () => this.queryGroups(req) };
      if (s.length === 2 && m === 'GET') return { right: 'EnrollmentRead', run: () => jsonResponse(200, this.groupJson(this.groupFor(id!))) };
      if (s.length === 2 && m === 'PUT') return { right: 'EnrollmentWrite', run: () => this.putGroup(req, id!) };
      if (s.length === 2 && m === 'DELETE') return { right: 'EnrollmentWrite', run: () => this.deleteGroup(req, id!) };
      if (s.length === 3 && action === 'attestationmechanism' && m === 'POST') {
        return { right: 'EnrollmentRead', run: () => jsonResponse(200, this.attestationJson(this.groupFor(id!).attestation)) };
      }
    }
    if (area === 'registrations') {
      if (s.length === 2 && m === 'GET') return { right: 'RegistrationStatusRead', run: () => jsonResponse(200, this.opts.registrar.registrationState(this.registrationFor(id!))) };
      if (s.length === 2 && m === 'DELETE') return { right: 'RegistrationStatusWrite', run: () => this.deleteRegistration(req, id!) };
      if (s.length === 3 && action === 'query' && m === 'POST') return { right: 'RegistrationStatusRead', run: () => this.queryRegistrations(req, id!) };
    }
    return undefined;
  }

  private authorize(req: EmuRequest, right: AccessRight | undefined): void {
    const target = { hubKey: this.opts.dpsKey, kind: 'provisioningServices' as const, hostName: this.opts.hostName() };
    const verdict = verifyServiceSas(req.headers.authorization, target, this.opts.keys, right, this.opts.clock.now());
    if (!verdict.ok) throw new DpsError(401, DpsErrorCode.Unauthorized, `Unauthorized: ${verdict.reason}.`);
  }

  private groupFor(id: string): EnrollmentGroup {
    const group = this.opts.store.state.iot.enrollmentGroup(this.opts.dpsKey, id);
    if (!group) throw new DpsError(404, DpsErrorCode.EnrollmentGroupNotFound, `Enrollment group '${id}' was not found.`);
    return group;
  }

  private registrationFor(id: string) {
    const registration = this.opts.store.state.iot.registrationsOf(this.opts.dpsKey).get(id.toLowerCase());
    if (!registration) throw new DpsError(404, DpsErrorCode.RegistrationNotFound, `Registration '${id}' was not found.`);
    return registration;
  }

  private checkIfMatch(req: EmuRequest, current: { etag: string } | undefined, what: string): void {
    const ifMatch = ifMatchOf(req);
    if (ifMatch === undefined || (ifMatch === '*' && current)) return;
    if (!current || ifMatch !== current.etag) {
      throw new DpsError(412, DpsErrorCode.PreconditionFailed, `Precondition failed: the etag '${ifMatch}' is not the current etag of ${what}.`);
    }
  }

  private attestationJson(a: GroupAttestation): Record<string, unknown> {
    const x509 =
      a.kind === 'caReferences'
        ? { caReferences: { primary: a.primary, ...(a.secondary && { secondary: a.secondary }) } }
        : {
            signingCertificates: {
              primary: { info: certificateInfo(parseCertificateText(a.primaryPem)) },
              ...(a.secondaryPem && { secondary: { info: certificateInfo(parseCertificateText(a.secondaryPem)) } }),
            },
          };
    return { type: 'x509', x509 };
  }

  private groupJson(g: EnrollmentGroup): Record<string, unknown> {
    const hostOf = (key: string) => this.opts.hubHostName(key) ?? key;
    return {
      enrollmentGroupId: g.enrollmentGroupId,
      attestation: this.attestationJson(g.attestation),
      capabilities: { ...g.capabilities },
      ...(g.iotHubHostNameKey && { iotHubHostName: hostOf(g.iotHubHostNameKey) }),
      ...(g.initialTwin !== null && { initialTwin: g.initialTwin }),
      etag: g.etag,
      provisioningStatus: g.provisioningStatus,
      reprovisionPolicy: { ...g.reprovisionPolicy },
      createdDateTimeUtc: g.createdDateTimeUtc,
      lastUpdatedDateTimeUtc: g.lastUpdatedDateTimeUtc,
      ...(g.allocationPolicy && { allocationPolicy: g.allocationPolicy }),
      ...(g.iotHubKeys.length > 0 && { iotHubs: g.iotHubKeys.map(hostOf) }),
    };
  }

  /** A linked hub named by host name; anything else is refused with the hubs that would do. */
  private linkedHub(hostName: unknown, what: string): string {
    const linked = linkedHubKeys(this.opts.store.state, this.opts.dpsKey);
    const key = typeof hostName === 'string' ? this.opts.hubKeyOf(hostName) : undefined;
    if (key === undefined || !linked.includes(key)) {
      const names = linked.map((k) => this.opts.hubHostName(k)).join(', ');
      throw bad(`${what} '${String(hostName)}' is not an IoT hub linked to this DPS (linked: ${names || 'none'}).`);
    }
    return key;
  }

  private parseAttestation(value: unknown): GroupAttestation {
    const a = value as { type?: unknown; x509?: Record<string, unknown> } | undefined;
    if (typeof a !== 'object' || a === null) throw bad('attestation is required: {"type": "x509", "x509": {…}}.');
    if (a.type !== 'x509') throw bad(`attestation.type '${String(a.type)}' is not supported by the emulator's enrollment groups; use 'x509'.`);
    const x509 = a.x509;
    if (typeof x509 !== 'object' || x509 === null) throw bad('attestation.x509 is required.');
    if (x509.clientCertificates) throw bad('attestation.x509.clientCertificates belongs to individual enrollments; an enrollment group takes caReferences or signingCertificates.');
    const refs = x509.caReferences as { primary?: unknown; secondary?: unknown } | undefined;
    const signing = x509.signingCertificates as { primary?: { certificate?: unknown }; secondary?: { certificate?: unknown } } | undefined;
    if (!!refs === !!signing) throw bad('attestation.x509 must have either caReferences or signingCertificates.');
    if (refs) {
      const primary = this.verifiedCaName(refs.primary, 'caReferences.primary');
      const secondary = refs.secondary === undefined || refs.secondary === null ? null : this.verifiedCaName(refs.secondary, 'caReferences.secondary');
      return { kind: 'caReferences', primary, secondary };
    }
    const pem = (entry: { certificate?: unknown } | undefined, what: string): string | null => {
      if (entry === undefined || entry === null) return null;
      if (typeof entry.certificate !== 'string') throw bad(`${what}.certificate must be a PEM certificate.`);
      let cert;
      try {
        cert = parseCertificateText(entry.certificate);
      } catch (err) {
        throw bad(`${what}.certificate could not be read: ${(err as Error).message}.`);
      }
      if (!cert.ca) throw bad(`${what}.certificate is not a CA certificate.`);
      return cert.toString();
    };
    const primaryPem = pem(signing!.primary, 'signingCertificates.primary');
    if (!primaryPem) throw bad('signingCertificates.primary is required.');
    return { kind: 'signingCertificates', primaryPem, secondaryPem: pem(signing!.secondary, 'signingCertificates.secondary') };
  }

  /** The name of a CA certificate uploaded to this DPS and verified by proof of possession. */
  private verifiedCaName(value: unknown, what: string): string {
    if (typeof value !== 'string' || value.length === 0) throw bad(`${what} must name a CA certificate of this DPS.`);
    const cert = this.opts.store.state.hubs.get(this.opts.dpsKey)?.certificates.get(value.toLowerCase());
    if (!cert) throw bad(`${what}: no certificate named '${value}' is uploaded to this DPS.`);
    if (!cert.isVerified) throw bad(`${what}: the certificate '${cert.name}' is not verified; prove possession of its key (generateVerificationCode, verify) first.`);
    return cert.name;
  }

  private async putGroup(req: EmuRequest, id: string): Promise<EmuResponse> {
    if (!GROUP_ID.test(id)) throw bad(`Enrollment group ID '${id.slice(0, 140)}' is invalid: 1 to 128 letters, digits, - . _ or :, beginning and ending with a letter or digit.`);
    const body = jsonObjectBody(req);
    if (body.enrollmentGroupId !== undefined && String(body.enrollmentGroupId).toLowerCase() !== id.toLowerCase()) {
      throw bad(`The enrollmentGroupId in the body ('${String(body.enrollmentGroupId).slice(0, 140)}') is not the one in the path ('${id}').`);
    }
    const existing = this.opts.store.state.iot.enrollmentGroup(this.opts.dpsKey, id);
    this.checkIfMatch(req, existing, `enrollment group '${id}'`);

    const status = body.provisioningStatus ?? 'enabled';
    if (status !== 'enabled' && status !== 'disabled') throw bad("provisioningStatus must be 'enabled' or 'disabled'.");
    const policy = body.allocationPolicy ?? null;
    if (policy === 'custom') throw bad("allocationPolicy 'custom' (an Azure Function deciding) is not supported by the emulator.");
    if (policy !== null && !ALLOCATION_POLICIES.includes(policy as (typeof ALLOCATION_POLICIES)[number])) throw bad(`allocationPolicy must be one of ${ALLOCATION_POLICIES.join(', ')}.`);
    if (body.iotHubs !== undefined && body.iotHubs !== null && !Array.isArray(body.iotHubs)) throw bad('iotHubs must be a list of IoT hub host names.');
    const iotHubKeys = ((body.iotHubs as unknown[] | undefined | null) ?? []).map((h) => this.linkedHub(h, 'iotHubs entry'));
    const iotHubHostNameKey = body.iotHubHostName === undefined || body.iotHubHostName === null ? null : this.linkedHub(body.iotHubHostName, 'iotHubHostName');
    if (policy === 'static' && new Set(iotHubKeys.length > 0 ? iotHubKeys : iotHubHostNameKey ? [iotHubHostNameKey] : []).size !== 1) {
      throw bad("allocationPolicy 'static' needs exactly one IoT hub in iotHubs (or iotHubHostName).");
    }
    const reprovision = (body.reprovisionPolicy ?? {}) as { updateHubAssignment?: unknown; migrateDeviceData?: unknown };
    const capabilities = (body.capabilities ?? {}) as { iotEdge?: unknown };
    const flag = (value: unknown, fallback: boolean, what: string): boolean => {
      if (value === undefined || value === null) return fallback;
      if (typeof value !== 'boolean') throw bad(`${what} must be true or false.`);
      return value;
    };
    const now = new Date(this.opts.clock.now()).toISOString();
    const group: EnrollmentGroup = {
      enrollmentGroupId: existing?.enrollmentGroupId ?? id,
      attestation: this.parseAttestation(body.attestation),
      capabilities: { iotEdge: flag(capabilities.iotEdge, false, 'capabilities.iotEdge') },
      iotHubKeys,
      iotHubHostNameKey,
      initialTwin: body.initialTwin ?? null,
      provisioningStatus: status,
      reprovisionPolicy: {
        updateHubAssignment: flag(reprovision.updateHubAssignment, true, 'reprovisionPolicy.updateHubAssignment'),
        migrateDeviceData: flag(reprovision.migrateDeviceData, true, 'reprovisionPolicy.migrateDeviceData'),
      },
      allocationPolicy: policy as EnrollmentGroup['allocationPolicy'],
      etag: randomBytes(8).toString('base64'),
      createdDateTimeUtc: existing?.createdDateTimeUtc ?? now,
      lastUpdatedDateTimeUtc: now,
    };
    await this.opts.store.commit({ t: 'enrollmentGroup', hubKey: this.opts.dpsKey, group });
    return jsonResponse(200, this.groupJson(group), { etag: group.etag });
  }

  private async deleteGroup(req: EmuRequest, id: string): Promise<EmuResponse> {
    const group = this.groupFor(id);
    this.checkIfMatch(req, group, `enrollment group '${id}'`);
    await this.opts.store.commit({ t: 'enrollmentGroupDelete', hubKey: this.opts.dpsKey, enrollmentGroupId: group.enrollmentGroupId });
    return { status: 204 };
  }

  private queryText(req: EmuRequest, collection: string): string {
    const body = req.body.length === 0 ? {} : jsonObjectBody(req);
    const query = typeof body.query === 'string' ? body.query : `SELECT * FROM ${collection}`;
    const conditions = parseSelectAll(query, collection);
    if (typeof conditions === 'string' || conditions.length > 0) throw bad(`Query '${query.slice(0, 200)}' is not supported: the emulator runs only SELECT * FROM ${collection}.`);
    return query;
  }

  private paged(req: EmuRequest, items: unknown[], query: string, itemType: string): EmuResponse {
    const page = pageOf(items, req.headers, query);
    if (!page.ok) throw bad(`${page.reason}.`);
    const headers: Record<string, string> = { 'x-ms-item-type': itemType, 'x-ms-max-item-count': String(page.pageSize) };
    if (page.continuation) headers['x-ms-continuation'] = page.continuation;
    return jsonResponse(200, page.items, headers);
  }

  private queryGroups(req: EmuRequest): EmuResponse {
    const query = this.queryText(req, 'enrollmentGroups');
    const groups = [...this.opts.store.state.iot.enrollmentGroupsOf(this.opts.dpsKey).values()].map((g) => this.groupJson(g));
    return this.paged(req, groups, query, 'enrollmentGroup');
  }

  private queryRegistrations(req: EmuRequest, groupId: string): EmuResponse {
    const group = this.groupFor(groupId);
    const states = [...this.opts.store.state.iot.registrationsOf(this.opts.dpsKey).values()]
      .filter((r) => r.enrollmentGroupId.toLowerCase() === group.enrollmentGroupId.toLowerCase())
      .map((r) => this.opts.registrar.registrationState(r));
    return this.paged(req, states, `registrations/${group.enrollmentGroupId.toLowerCase()}`, 'deviceRegistration');
  }

  private async deleteRegistration(req: EmuRequest, id: string): Promise<EmuResponse> {
    const registration = this.registrationFor(id);
    this.checkIfMatch(req, registration, `registration '${id}'`);
    await this.opts.store.commit({ t: 'dpsRegistrationDelete', hubKey: this.opts.dpsKey, registrationId: registration.registrationId });
    return { status: 204 };
  }
}
