// Device registration with a DPS by X.509 enrollment group, the same for HTTPS and MQTT
// (learn.microsoft.com/azure/iot-dps/iot-dps-https-x509-support, …/iot-dps-mqtt-support): the registration ID is the
// leaf certificate's CN, in lower case (an upper-case ID is refused with 400004, as DPS does); the chain must reach
// the CA an enrollment group trusts — its `caReferences` certificate, verified on the DPS, or its
// `signingCertificates` certificate, itself under a CA verified on the DPS. The first such group decides: disabled,
// the registration is `disabled`; else the device gets a hub among the group's (or the DPS's linked) hubs — the one
// it had, or one picked by hashing its ID ("hashed" allocation) — and an identity there with CA authentication,
// which DPS creates (or keeps, when it exists). Registrations are journaled, so a second one answers the same hub.
//
// The answer is an operation: `assigning` at once, then `assigned` (or `disabled`) when polled. Operations live in
// memory; a device polling one across an emulator restart registers again, as devices do after a timeout.
import { createHash, randomBytes, randomUUID, type X509Certificate } from 'node:crypto';
import type { Clock } from '../../common/clock';
import type { Store } from '../store';
import { checkDeviceChain, checkValidity, uploadedCas, type UploadedCa } from './certificate-chain';
import { provisionedIdentity } from './device-identity';
import { DpsError, DpsErrorCode } from './dps-errors';
import { linkedHubKeys } from './dps-links';
import type { EnrollmentGroup, Registration } from './iot-state';
import { certificateInfo, commonName, parseCertificateText } from './x509';

/** Alphanumerics and `- . _ :`, not starting or ending with a special character, at most 128 (service.json). */
const REGISTRATION_ID = /^[a-z0-9](?:[a-z0-9\-._:]{0,126}[a-z0-9])?$/;

export interface RegistrationOperation {
  operationId: string;
  dpsKey: string;
  registrationId: string;
  registration: Registration;
}

/** How many finished operations are kept for polling (the oldest go first). */
const KEPT_OPERATIONS = 1000;

export interface DpsRegistrarOptions {
  store: Store;
  clock: Clock;
  /** A hub's host name, for `assignedHub`. */
  hostNameOf(hubKey: string): string | undefined;
  log?: (line: string) => void;
}

export class DpsRegistrar {
  private readonly operations = new Map<string, RegistrationOperation>();

  constructor(private readonly opts: DpsRegistrarOptions) {}

  /** Refuses a malformed or upper-case registration ID with 400004. */
  static checkRegistrationId(registrationId: string): void {
    if (REGISTRATION_ID.test(registrationId)) return;
    const why = /[A-Z]/.test(registrationId)
      ? 'it has upper-case letters (DPS registration IDs are lower case)'
      : 'it must be 1 to 128 letters, digits, - . _ or :, beginning and ending with a letter or digit';
    throw new DpsError(400, DpsErrorCode.InvalidRegistrationId, `Invalid RegistrationId '${registrationId.slice(0, 140)}': ${why}.`);
  }

  operation(operationId: string): RegistrationOperation | undefined {
    return this.operations.get(operationId);
  }

  async register(dpsKey: string, registrationId: string, chain: X509Certificate[]): Promise<RegistrationOperation> {
    DpsRegistrar.checkRegistrationId(registrationId);
    const { store } = this.opts;
    const now = this.opts.clock.now();
    const refuse = (reason: string): never => {
      this.opts.log?.(`DPS ${store.state.hubs.get(dpsKey)?.name ?? dpsKey}: refused registration '${registrationId}': ${reason}`);
      throw new DpsError(401, DpsErrorCode.Unauthorized, `Unauthorized: ${reason}.`);
    };
    const leaf = chain[0];
    if (!leaf) return refuse('the device presented no client certificate');
    if (commonName(leaf) !== registrationId) return refuse(`the certificate's CN '${commonName(leaf) ?? ''}' is not the registration ID`);
    const invalid = checkValidity(chain, now);
    if (invalid) return refuse(invalid);

    const dpsCas = uploadedCas(store, dpsKey);
    const group = [...store.state.iot.enrollmentGroupsOf(dpsKey).values()].find((g) => trusts(g, chain, dpsCas, now, registrationId));
    if (!group) return refuse('no enrollment group of this DPS trusts the certificate chain (its CA must be uploaded, verified and named by an enrollment group)');

    const previous = store.state.iot.registrationsOf(dpsKey).get(registrationId);
    const nowIso = new Date(now).toISOString();
    const base = {
      registrationId,
      enrollmentGroupId: group.enrollmentGroupId,
      certificateInfo: certificateInfo(leaf),
      signingCertificateInfo: chain[1] ? certificateInfo(chain[1]) : null,
      etag: randomBytes(8).toString('base64'),
      createdDateTimeUtc: previous?.createdDateTimeUtc ?? nowIso,
      lastUpdatedDateTimeUtc: nowIso,
    };
    let registration: Registration;
    if (group.provisioningStatus === 'disabled') {
      registration = { ...base, status: 'disabled', substatus: null, assignedHubKey: previous?.assignedHubKey ?? null, deviceId: previous?.deviceId ?? null };
    } else {
      const hubKey = this.pickHub(dpsKey, group, registrationId, previous);
      const moved = previous?.assignedHubKey && previous.assignedHubKey !== hubKey ? previous.assignedHubKey : null;
      if (!store.state.iot.devicesOf(hubKey).has(registrationId)) {
        await store.commit({ t: 'hubDevice', hubKey, device: provisionedIdentity(registrationId, group.capabilities.iotEdge) });
      }
      // The device's data leaves the hub it was assigned to before ("removed from the previously assigned IoT hub").
      if (moved && store.state.iot.devicesOf(moved).has(registrationId)) await store.commit({ t: 'hubDeviceDelete', hubKey: moved, deviceId: registrationId });
      registration = { ...base, status: 'assigned', substatus: moved ? 'deviceDataMigrated' : 'initialAssignment', assignedHubKey: hubKey, deviceId: registrationId };
    }
    await store.commit({ t: 'dpsRegistration', hubKey: dpsKey, registration });
    const operation: RegistrationOperation = { operationId: `5.${randomBytes(8).toString('hex')}.${randomUUID()}`, dpsKey, registrationId, registration };
    this.operations.set(operation.operationId, operation);
    if (this.operations.size > KEPT_OPERATIONS) this.operations.delete(this.operations.keys().next().value!);
    return operation;
  }

  /**
   * The hub a registration goes to: where it was, while that is still allowed (or the group says not to re-evaluate);
   * else one of the allowed hubs by a hash of the registration ID.
   */
  private pickHub(dpsKey: string, group: EnrollmentGroup, registrationId: string, previous: Registration | undefined): string {
    const linked = linkedHubKeys(this.opts.store.state, dpsKey);
    const wanted = group.iotHubKeys.length > 0 ? group.iotHubKeys : group.iotHubHostNameKey ? [group.iotHubHostNameKey] : linked;
    const allowed = wanted.filter((k) => linked.includes(k));
    const kept = previous?.assignedHubKey;
    if (kept && linked.includes(kept) && (allowed.includes(kept) || !group.reprovisionPolicy.updateHubAssignment)) return kept;
    if (allowed.length === 0) throw new DpsError(400, DpsErrorCode.BadRequest, 'No IoT hub is linked to this DPS for the enrollment group to assign devices to.');
    const hash = createHash('sha256').update(registrationId).digest().readUInt32BE(0);
    return allowed[hash % allowed.length]!;
  }

  /** DeviceRegistrationResult of the device API (device.json 2021-10-01). */
  registrationResult(registration: Registration): Record<string, unknown> {
    const assignedHub = registration.assignedHubKey ? this.opts.hostNameOf(registration.assignedHubKey) : undefined;
    return {
      x509: {
        enrollmentGroupId: registration.enrollmentGroupId,
        certificateInfo: registration.certificateInfo,
        ...(registration.signingCertificateInfo && { signingCertificateInfo: registration.signingCertificateInfo }),
      },
      registrationId: registration.registrationId,
      createdDateTimeUtc: registration.createdDateTimeUtc,
      ...(registration.status === 'assigned' && { assignedHub, deviceId: registration.deviceId, substatus: registration.substatus }),
      status: registration.status,
      lastUpdatedDateTimeUtc: registration.lastUpdatedDateTimeUtc,
      etag: registration.etag,
    };
  }

  /** RegistrationOperationStatus after polling: the registration's outcome. */
  operationStatus(operation: RegistrationOperation): Record<string, unknown> {
    return { operationId: operation.operationId, status: operation.registration.status, registrationState: this.registrationResult(operation.registration) };
  }

  /** DeviceRegistrationState of the service API (service.json 2021-10-01). */
  registrationState(registration: Registration): Record<string, unknown> {
    const assignedHub = registration.assignedHubKey ? this.opts.hostNameOf(registration.assignedHubKey) : undefined;
    return {
      registrationId: registration.registrationId,
      createdDateTimeUtc: registration.createdDateTimeUtc,
      ...(registration.status === 'assigned' && { assignedHub, deviceId: registration.deviceId, substatus: registration.substatus }),
      status: registration.status,
      lastUpdatedDateTimeUtc: registration.lastUpdatedDateTimeUtc,
      etag: registration.etag,
    };
  }
}

/** Whether `group` trusts the device's chain (see the header). */
function trusts(group: EnrollmentGroup, chain: X509Certificate[], dpsCas: UploadedCa[], now: number, registrationId: string): boolean {
  const a = group.attestation;
  if (a.kind === 'caReferences') {
    const names = [a.primary, a.secondary].filter((n): n is string => n !== null).map((n) => n.toLowerCase());
    return checkDeviceChain(chain, dpsCas.filter((ca) => names.includes(ca.name.toLowerCase())), now, registrationId).ok;
  }
  return [a.primaryPem, a.secondaryPem].some((pem) => {
    if (pem === null) return false;
    const signing = parseCertificateText(pem);
    return checkDeviceChain(chain, [{ name: 'signing certificate', cert: signing, verified: true }], now, registrationId).ok && checkDeviceChain([...chain, signing], dpsCas, now, registrationId).ok;
  });
}
