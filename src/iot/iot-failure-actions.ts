// Which failures of the IoT Hub commands have a next step a button can take: a tenant CA not verified on the hub or
// DPS opens the certificate wizard, where the CA is uploaded and verified in one go.
import type { ErrorAction } from '../common/error-boundary';
import { errorChain } from '../common/errors';
import { TenantCaNotVerifiedError } from '../cloud/iot/tenant-ca-on-hub';

export const VALIDATE_CA_BUTTON = 'Validate CA Certificate…';

export function iotActionsFor(err: unknown, validateCa: () => void): ErrorAction[] {
  return errorChain(err).some((e) => e instanceof TenantCaNotVerifiedError) ? [{ label: VALIDATE_CA_BUTTON, run: validateCa }] : [];
}
