// The device side of DPS over HTTPS on the global provisioning endpoint (what global.azure-devices-provisioning.net
// is in Azure; learn.microsoft.com/azure/iot-dps/iot-dps-https-x509-support), routed by ID scope; the device
// authenticates with its TLS client certificate chain:
//   PUT  /{idScope}/registrations/{registrationId}/register              → 202 {operationId, status: "assigning"}, Retry-After
//   GET  /{idScope}/registrations/{registrationId}/operations/{opId}     → 200 RegistrationOperationStatus
//   POST /{idScope}/registrations/{registrationId}                       → 200 DeviceRegistrationResult (status lookup)
// api-version 2021-06-01 (and 2019-03-31, which the Node SDK sends, and the spec's 2021-10-01).
import type { TLSSocket } from 'node:tls';
import type { Clock } from '../../common/clock';
import { jsonObjectBody, JsonBodyError, jsonResponse, pathSegments, type EmuRequest, type EmuResponse } from '../http';
import type { Store } from '../store';
import { peerCertificateChain } from './certificate-chain';
import { DpsError, DpsErrorCode, dpsErrorResponse } from './dps-errors';
import { DpsRegistrar } from './dps-registration';
import type { IotHttpHandler } from './iot-http';
import { commonName } from './x509';

export const DEVICE_API_VERSIONS: readonly string[] = ['2019-03-31', '2021-06-01', '2021-10-01'];
/** Seconds a device is asked to wait before polling: the registration is done by then. */
export const RETRY_AFTER_SEC = 1;

export interface ProvisioningDeviceOptions {
  registrar: DpsRegistrar;
  store: Store;
  clock: Clock;
  dpsKeyByIdScope(idScope: string): string | undefined;
}

export class ProvisioningDeviceApi {
  constructor(private readonly opts: ProvisioningDeviceOptions) {}

  readonly handle: IotHttpHandler = async (req, raw) => {
    try {
      const s = pathSegments(req.path);
      if (!s || s.length < 3 || s[1] !== 'registrations') throw new DpsError(404, DpsErrorCode.NotFound, `There is no ${req.method} ${req.path} on the provisioning endpoint.`);
      const [idScope, , registrationId] = s as [string, string, string];
      const dpsKey = this.opts.dpsKeyByIdScope(idScope);
      if (!dpsKey) throw new DpsError(404, DpsErrorCode.NotFound, `No DPS has the ID scope '${idScope}'.`);
      const version = req.url.searchParams.get('api-version');
      if (!version || !DEVICE_API_VERSIONS.includes(version)) throw new DpsError(400, DpsErrorCode.BadRequest, `api-version must be one of ${DEVICE_API_VERSIONS.join(', ')}.`);
      const chain = peerCertificateChain(raw.req.socket as TLSSocket);
      if (s.length === 4 && s[3] === 'register' && req.method === 'PUT') return await this.register(req, dpsKey, registrationId, chain);
      this.checkSameDevice(registrationId, chain);
      if (s.length === 5 && s[3] === 'operations' && req.method === 'GET') {
        const operation = this.opts.registrar.operation(s[4]!);
        if (!operation || operation.dpsKey !== dpsKey || operation.registrationId !== registrationId) {
          throw new DpsError(404, DpsErrorCode.OperationNotFound, `Operation '${s[4]!}' was not found for registration '${registrationId}'.`);
        }
        return jsonResponse(200, this.opts.registrar.operationStatus(operation));
      }
      if (s.length === 3 && req.method === 'POST') {
        const registration = this.opts.store.state.iot.registrationsOf(dpsKey).get(registrationId);
        if (!registration) throw new DpsError(404, DpsErrorCode.RegistrationNotFound, `Registration '${registrationId}' was not found.`);
        return jsonResponse(200, this.opts.registrar.registrationResult(registration));
      }
      throw new DpsError(404, DpsErrorCode.NotFound, `There is no ${req.method} ${req.path} on the provisioning endpoint.`);
    } catch (err) {
      if (err instanceof DpsError) return dpsErrorResponse(err, this.opts.clock.now());
      if (err instanceof JsonBodyError) return dpsErrorResponse(new DpsError(400, DpsErrorCode.BadRequest, `${err.message}.`), this.opts.clock.now());
      throw err;
    }
  };

  errorResponse = (status: 413 | 500, message: string): EmuResponse =>
    dpsErrorResponse(new DpsError(status, status === 413 ? DpsErrorCode.RequestTooLarge : DpsErrorCode.InternalServerError, message), this.opts.clock.now());

  private async register(req: EmuRequest, dpsKey: string, registrationId: string, chain: ReturnType<typeof peerCertificateChain>): Promise<EmuResponse> {
    DpsRegistrar.checkRegistrationId(registrationId);
    if (req.body.length > 0) {
      const body = jsonObjectBody(req);
      if (body.registrationId !== undefined && body.registrationId !== registrationId) {
        throw new DpsError(400, DpsErrorCode.BadRequest, `The registrationId in the body ('${String(body.registrationId).slice(0, 140)}') is not the one in the path.`);
      }
    }
    const operation = await this.opts.registrar.register(dpsKey, registrationId, chain);
    return jsonResponse(202, { operationId: operation.operationId, status: 'assigning' }, { 'retry-after': String(RETRY_AFTER_SEC) });
  }

  /** Polls and lookups come from the device that registered: its certificate names the registration. */
  private checkSameDevice(registrationId: string, chain: ReturnType<typeof peerCertificateChain>): void {
    const leaf = chain[0];
    if (!leaf || commonName(leaf) !== registrationId) {
      throw new DpsError(401, DpsErrorCode.Unauthorized, "Unauthorized: the client certificate's CN must be the registration ID.");
    }
  }
}
