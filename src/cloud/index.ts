// The cloud side's public surface, for the editor layer (AuthenticationProvider, tree views, commands) and tools.
// Plain TypeScript: nothing here imports vscode; editor services come in through the injected interfaces
// (SecretStore, openBrowser, DeviceCodeUi, Logger).
// Importing this module loads @azure/msal-node and node-forge; code that runs at activation should use
// `import type` from here and load the implementation lazily when the person first signs in.
export { CloudError, InvalidArgumentError, CancelledError } from './errors';
export type { Logger } from '../common/logger';
export { redactSecrets } from './redact';
export { DEFAULT_CLOUD_SETTINGS, resolveCloudSettings, type CloudSettings } from './settings';
export { InMemorySecretStore, type SecretStore } from './secret-store';
export { HttpsTransport, NetworkError, type HttpTransport, type HttpsTransportOptions, type StreamingTransport } from './https-transport';
export {
  SignInEngine,
  SignInError,
  SignInRequiredError,
  type AccessToken,
  type AccessTokenProvider,
  type DeviceCodePrompt,
  type DeviceCodeUi,
  type SignedInAccount,
  type SignInEngineOptions,
} from './sign-in-engine';
export { PersonalAccountError, PERSONAL_ACCOUNT_TENANT_ID, personalAccountMessage } from './personal-account';
export { retryPolicy, DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
export { CloudApiError } from './api-error';
export { collectAll, type PageResult } from './paging';
export { OperationFailedError, type OperationWaitOptions } from './operations';
export { SphereApiClient, type SphereApiClientOptions, type ListOptions, type CertificateSelector } from './sphere-api-client';
export * from './sphere-api-types';
export { ArmCertificateClient, toHubRef, type HubRef, type HubCertificate, type HubResource, type ArmSubscription, type SharedAccessPolicy } from './arm-certificate-client';
export { proveTenantCaPossession, CertificateNameTakenError, type CaProofStep, type CaProofRequest } from './ca-proof-flow';
export {
  CertificateError,
  parseCertificate,
  parseCertificates,
  parsePkcs7,
  toPem,
  toPkcs7Der,
  validityAt,
  verifyChain,
  verifyProofOfPossession,
  writeCertificateFile,
  type CertificateProblem,
  type ParsedCertificate,
  type Validity,
} from './certificates';
