// ARM's error shape (common-types ErrorResponse: `{"error":{code,message,target?,details?}}`) in words a person can
// act on, through the same apiErrorFrom as the security service; with two cases of its own — a subscription where
// the Microsoft.AzureSphere resource provider is not registered (say how to register it), and a long-running
// operation that ended Failed or Canceled (the operation's own reason).
import { apiErrorFrom, CloudApiError } from '../api-error';
import { redactSecrets } from '../redact';

export const AZURE_SPHERE_NAMESPACE = 'Microsoft.AzureSphere';

/** What a person does once per subscription before any catalog can be listed or created in it. */
export const REGISTER_PROVIDER_HINT =
  `register it once with "az provider register --namespace ${AZURE_SPHERE_NAMESPACE}", or in the Azure portal: ` +
  `the subscription → Settings → Resource providers → ${AZURE_SPHERE_NAMESPACE} → Register`;

/** The subscription has not registered the Microsoft.AzureSphere resource provider (ARM's MissingSubscriptionRegistration). */
export class ProviderNotRegisteredError extends CloudApiError {
  constructor(
    what: string,
    readonly subscriptionId: string | undefined,
    status: number,
    serverMessage: string | undefined,
    requestId: string | undefined,
  ) {
    const sub = subscriptionId ? `subscription ${subscriptionId}` : 'the subscription';
    super(
      `${what} failed: ${sub} is not registered for the ${AZURE_SPHERE_NAMESPACE} resource provider; ${REGISTER_PROVIDER_HINT} (MissingSubscriptionRegistration, HTTP ${status}).`,
      'provider_not_registered',
      status,
      serverMessage,
      requestId,
    );
  }
}

/** An ARM long-running operation that ended Failed or Canceled; `operationCode` is the operation's error code. */
export class ArmOperationFailedError extends CloudApiError {
  constructor(
    message: string,
    readonly operationStatus: 'Failed' | 'Canceled',
    readonly operationCode: string | undefined,
    serverMessage: string | undefined,
  ) {
    super(message, 'operation_failed', 0, serverMessage, undefined);
  }
}

const PROVIDER_CODES = new Set(['missingsubscriptionregistration', 'subscriptionnotregistered']);

/** The CloudApiError for an unsuccessful ARM response to `what`; the subscription is read from the request URL. */
export function armErrorFrom(what: string, url: string, status: number, headers: Readonly<Record<string, string>>, body: Buffer): CloudApiError {
  const error = apiErrorFrom(what, status, headers, body);
  if (PROVIDER_CODES.has(error.code.toLowerCase())) {
    return new ProviderNotRegisteredError(what, subscriptionOf(url), status, error.serverMessage, error.requestId);
  }
  return error;
}

/** An `ErrorDetail` as an operation status carries it (`{code, message}`), possibly absent. */
export interface ArmErrorDetail {
  readonly code?: string;
  readonly message?: string;
  readonly details?: readonly ArmErrorDetail[];
}

/** `<what> failed: <the operation's message> (<code>).` — or canceled. */
export function operationFailed(what: string, status: 'Failed' | 'Canceled', error: ArmErrorDetail | undefined): ArmOperationFailedError {
  const raw = error?.message ?? error?.details?.find((d) => d.message)?.message;
  const serverMessage = raw ? redactSecrets(raw) : undefined;
  const reason = serverMessage?.replace(/\.+\s*$/, '') ?? (status === 'Canceled' ? 'the operation was canceled on the service' : 'the service gave no reason');
  const tag = error?.code ? ` (${error.code})` : '';
  const verb = status === 'Canceled' ? 'was canceled' : 'failed';
  return new ArmOperationFailedError(`${what} ${verb}: ${reason}${tag}.`, status, error?.code, serverMessage);
}

function subscriptionOf(url: string): string | undefined {
  try {
    return /\/subscriptions\/([^/?#]+)/i.exec(new URL(url).pathname)?.[1];
  } catch {
    return undefined;
  }
}
