// Which failures of the IoT Hub commands have a next step a button can take: a tenant's or catalog's CA not verified
// on the hub or DPS opens the certificate wizard on that tenant or catalog, where the CA is uploaded and verified in
// one go.
import type { ErrorAction } from '../common/error-boundary';
import { errorChain } from '../common/errors';
import { TenantCaNotVerifiedError } from '../cloud/iot/tenant-ca-on-hub';

export const VALIDATE_CA_BUTTON = 'Validate CA Certificate…';

/** `validateCa` is given the ID of the tenant or catalog whose CA is missing (what the wizard command takes). */
export function iotActionsFor(err: unknown, validateCa: (scopeId: string) => void): ErrorAction[] {
  const notVerified = errorChain(err).find((e): e is TenantCaNotVerifiedError => e instanceof TenantCaNotVerifiedError);
  return notVerified ? [{ label: VALIDATE_CA_BUTTON, run: () => validateCa(notVerified.scope.id) }] : [];
}
