// Azure AD's OAuth error shape: error, error_description starting "AADSTSnnnnn: …" with trace lines, error_codes,
// timestamp, trace_id, correlation_id, error_uri. msal reads `error` and surfaces the description.
import { randomUUID } from 'node:crypto';
import { jsonResponse, type EmuResponse } from './http';

export class AadError {
  constructor(
    readonly error: string,
    readonly code: number,
    readonly message: string,
    readonly httpStatus = 400,
  ) {}

  body(baseUrl: string, correlationId?: string): Record<string, unknown> {
    const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    const traceId = randomUUID();
    const correlation = correlationId ?? randomUUID();
    return {
      error: this.error,
      error_description: `AADSTS${this.code}: ${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `${baseUrl}/error?code=${this.code}`,
    };
  }

  response(baseUrl: string, correlationId?: string): EmuResponse {
    return jsonResponse(this.httpStatus, this.body(baseUrl, correlationId), { 'cache-control': 'no-store' });
  }
}

export const aad = {
  tenantNotFound: (segment: string) =>
    new AadError('invalid_tenant', 90002, `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  userNotInTenant: (idp: string, tenantName: string, clientId: string) =>
    new AadError('access_denied', 50020, `User account '{EmailHidden}' from identity provider '${idp}' does not exist in tenant '${tenantName}' and cannot access the application '${clientId}' in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`),
  unknownUser: (tenantName: string) =>
    new AadError('invalid_grant', 50034, `The user account {EmailHidden} does not exist in the '${tenantName}' directory. To sign into this application, the account must be added to the directory.`),
  invalidClient: (clientId: string) =>
    new AadError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`),
  missingParameter: (name: string) =>
    new AadError('invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  redirectMismatch: (uri: string) =>
    new AadError('invalid_request', 50011, `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`),
  unsupportedGrant: (grant: string) => new AadError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  unsupportedResponseType: (type: string) => new AadError('unsupported_response_type', 700054, `response_type '${type}' is not enabled for the application.`),
  invalidGrant: () => new AadError('invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  codeRedeemed: () => new AadError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  codeExpired: () => new AadError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  pkceMismatch: () => new AadError('invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  pkceMissing: () => new AadError('invalid_request', 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."),
  authorizationPending: () => new AadError('authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  deviceCodeExpired: () => new AadError('expired_token', 70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
  badDeviceCode: () => new AadError('invalid_grant', 70019, "The provided value for the input parameter 'device_code' is not valid."),
  resourceNotFound: (resource: string, tenant: string) =>
    new AadError('invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  multipleResources: (scope: string) =>
    new AadError('invalid_scope', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
  invalidScope: (scope: string) =>
    new AadError('invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
};
