// ARM's error shape for Microsoft.AzureSphere (common-types v3 ErrorResponse: `{"error":{code,message,target?,details?}}`)
// and the errors ARM itself answers before a resource provider sees the request: a missing provider registration,
// a missing role assignment, an unknown resource.
import { jsonResponse, type EmuResponse } from '../http';

export class ArmSphereError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly target?: string,
  ) {
    super(message);
  }
}

export function armErrorResponse(err: ArmSphereError, headers: Record<string, string> = {}): EmuResponse {
  return jsonResponse(err.status, { error: { code: err.code, message: err.message, ...(err.target ? { target: err.target } : {}) } }, headers);
}

export const PROVIDER_NAMESPACE = 'Microsoft.AzureSphere';

/** What ARM answers when the subscription has not registered the namespace (learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-register-resource-provider). */
export function missingRegistration(subscriptionId: string): ArmSphereError {
  return new ArmSphereError(
    409,
    'MissingSubscriptionRegistration',
    `The subscription is not registered to use namespace '${PROVIDER_NAMESPACE}'. See https://aka.ms/rps-not-found for how to register subscriptions. ` +
      `Register it with 'az provider register --namespace ${PROVIDER_NAMESPACE} --subscription ${subscriptionId}' or POST /subscriptions/${subscriptionId}/providers/${PROVIDER_NAMESPACE}/register.`,
  );
}

/** ARM's 403 when no role assignment grants `action` at `scope`. */
export function authorizationFailed(email: string, oid: string, action: string, scope: string): ArmSphereError {
  return new ArmSphereError(
    403,
    'AuthorizationFailed',
    `The client '${email}' with object id '${oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export function resourceNotFound(type: string, name: string, resourceGroup: string): ArmSphereError {
  return new ArmSphereError(404, 'ResourceNotFound', `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

export function badRequest(message: string, target?: string, code = 'BadRequest'): ArmSphereError {
  return new ArmSphereError(400, code, message, target);
}

export function conflict(message: string, code = 'Conflict'): ArmSphereError {
  return new ArmSphereError(409, code, message);
}

/** The legacy Operation's ErrorCode (model.ts) as an ARM error code. */
export function armCodeOf(legacyCode: number): string {
  return ({ 0: 'OperationFailed', 5: 'BadRequest', 6: 'Forbidden', 7: 'Conflict', 8: 'NotFound' } as Record<number, string>)[legacyCode] ?? 'OperationFailed';
}
