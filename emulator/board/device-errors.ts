// Device-side error codes the simulated board returns as `{"error": <code>}` (docs/device-rest-api.md#error-codes;
// the codes come from the Python client's error_handler.py and, for the application and sideloading codes, from the
// device error catalogue in Azure/azure-sphere-tools `ParseDeviceLog/24.06/commonerror_yml/`, where a code is
// `(category_id << 20) | id`). The messages are the clients' wording; only the code travels on the wire.

export const DeviceErrorCode = {
  wifiInvalidInterface: 13631489,
  networkAlreadyExists: 13631490,
  networkNotFound: 13631491,
  networkNotConnected: 13631492,
  invalidNetworkProperties: 13631496,
  ssidTooLong: 13631503,
  keyTooLong: 13631504,
  wifiInterfaceDisabled: 13631506,
  notEnoughWifiResources: 13631510,
  configNameExists: 13631511,
  clientIdentifierMissing: 13631512,
  pskTooShort: 13631513,
  configNameTooLong: 10485776,
  certIdInvalid: 38797314,
  certContentsInvalid: 38797315,
  certIdTooLong: 38797316,
  certNotFound: 38797319,
  certStoreFull: 38797323,
  certTypeInvalid: 38797324,
  publicCertInvalid: 38797325,
  publicCertTooLong: 38797326,
  privateKeyInvalid: 38797327,
  privateKeyTooLong: 38797328,
  privateKeyNotAllowed: 38797329,
  passwordTooLong: 38797330,
  passwordNotAllowed: 38797331,
  keyPairMismatch: 38797332,
  passwordForUnencryptedKey: 38797333,
  invalidHardwareAddress: 31457286,
  invalidInterface: 31457294,
  operationNotPermittedOnInterface: 31457295,
  invalidRequestUri: 15728642,
  contentTooLarge: 15728644,
  deviceBusy: 10485765,
  // AppManager (1): IsAppDevelopmentAllowed failed — the board has no appDevelopment capability (11).
  deviceNotDevUnlocked: 1048596,
  // LifetimeManager (3): debugging needs the gdbserver component; the debugger itself cannot be started or debugged.
  noDebuggerAvailable: 3145738,
  cantDebugDebugger: 3145739,
  cantStartDebugger: 3145740,
  cantStopDebugger: 3145741,
  // ImageUpdate (7): staging and installing image packages.
  imageUpdateInvalidParameter: 7340046,
  imageVerificationFailed: 7340047,
  imageStagingFailed: 7340050,
  invalidComponentId: 7340079,
  // RestApp (14): the /app endpoints.
  triggerDoesNotExist: 14680073,
  appNotPresent: 14680076,
  cannotParseComponentId: 14680079,
  // RestUpdate (16): the update endpoints' own refusals; InvalidImage for a capability file of another device, a case
  // no public source shows a real board's answer for (and not a development-mode refusal, which the clients' messages
  // for the ImageUpdate codes would suggest).
  invalidImage: 16777219,
} as const;

export type DeviceErrorCodeValue = (typeof DeviceErrorCode)[keyof typeof DeviceErrorCode];

/** A REST failure: HTTP status plus the device error code for the `{"error": n}` body. */
export class DeviceRestError extends Error {
  constructor(readonly status: number, readonly code: number | undefined, detail: string) {
    super(detail);
    this.name = 'DeviceRestError';
  }
}

export const badRequest = (code: number, detail: string): DeviceRestError => new DeviceRestError(400, code, detail);
export const notFound = (code: number, detail: string): DeviceRestError => new DeviceRestError(404, code, detail);
export const conflict = (code: number, detail: string): DeviceRestError => new DeviceRestError(409, code, detail);
