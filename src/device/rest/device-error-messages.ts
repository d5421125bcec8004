// Device-side error codes ({"error": n} bodies) and the messages vendor clients show for them
// (docs/device-rest-api.md#error-codes).

/**
 * The one next action for every refusal that comes from the board not allowing application development (it lacks the
 * appDevelopment capability, 11, or the debugger that comes with it). The vendor clients end these messages with
 * "check if application development capability is enabled ('azsphere device enable-development')"; this extension's
 * equivalent of that CLI command is the command named here, so the messages below point there instead.
 */
export const ENABLE_DEVELOPMENT_ACTION = 'Enable development mode on the board (Azure Sphere: Enable Development).';

const notInDevelopmentMode = (what: string): string => `${what}: the board does not allow application development. ${ENABLE_DEVELOPMENT_ACTION}`;

/** Codes whose answer is "enable development mode first" (see ENABLE_DEVELOPMENT_ACTION). */
export const DEVELOPMENT_MODE_ERRORS: ReadonlySet<number> = new Set([1048596, 7340047, 7340056, 7340069, 14680081, 13, 3145738]);

export const DEVICE_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  13631489: 'Invalid interface. Possible invalid parameter.',
  13631490: 'Network already exists',
  13631491: 'Network not found',
  13631492: 'Network not connected',
  13631496: 'Invalid network properties provided.',
  13631499: 'The network could not be found in the list of configured networks.',
  13631503: 'SSID is too long',
  13631504: 'Key is too long',
  13631505: 'The Wi-Fi interface is still initializing. Please try again.',
  13631506: 'Wi-Fi interface is disabled',
  13631507: 'Insufficient space to store the network.',
  13631510: 'There are not enough resources to add additional Wi-Fi networks.',
  13631511: 'Configuration name already exists.',
  13631512: 'Client identifier is missing.',
  13631513: 'PSK is too short.',
  10485765: 'Device is busy and refused request',
  10485772: 'Certificate identifier too long.',
  10485776: 'Configuration name too long. Configuration name must be 1-16 characters in length.',
  38797314:
    'The supplied certificate identifier is invalid. Certificate identifiers may only consist of alphanumeric characters or .-_',
  38797315: 'Certificate contents are invalid. Please supply a valid base64-encoded certificate.',
  38797316: 'Certificate identifier too long. Certificate identifiers must be 1-16 characters in length.',
  38797319: 'No certificate with that identifier could be found on the device.',
  38797323: 'Unable to add certificate. Certificate store is out of space.',
  38797324: "Certificate type is invalid. Certificate type must be 'client' or 'rootca'.",
  38797325: 'The public certificate is invalid.',
  38797326: 'The public certificate is too long.',
  38797327: 'The private key is invalid.',
  38797328: 'The private key is too long.',
  38797329: 'A private key is not allowed for this certificate type.',
  38797330: 'The private key password is too long.',
  38797331: 'A private key password is not allowed for this certificate type.',
  38797332: 'The public certificate and private key do not match.',
  38797333: 'A password was supplied for an unencrypted private key.',
  31457286: 'Invalid hardware address.',
  31457294: 'Invalid interface.',
  31457295: 'Operation not permitted on interface.',
  15728642: 'Invalid request URI.',
  15728644: 'The content provided is too large.',
  // Applications and sideloading. Vendor wording, except that the development-mode refusals name this extension's
  // command instead of the CLI's (see ENABLE_DEVELOPMENT_ACTION).
  1048596: notInDevelopmentMode('Operation not permitted'),
  13: notInDevelopmentMode('Operation not permitted'),
  7340047: notInDevelopmentMode('Image not trusted by device'),
  14680081: notInDevelopmentMode('Image not trusted by device'),
  7340056: notInDevelopmentMode('Installation failed'),
  7340069: notInDevelopmentMode('Permission denied'),
  3145738: `Cannot start application in debug mode; Debugging server is not present on device. ${ENABLE_DEVELOPMENT_ACTION}`,
  7340050: 'Image could not be staged; check that it is a valid image package',
  7340071: 'Over-the-air updating of the device is in progress and sideloading is temporarily disabled. Please retry later.',
  7340079: 'Image has an invalid component ID. Re-package your image and retry.',
  14680076: 'Application is not present',
  14680082: 'Insufficient free space on the device',
  3145729: 'Application already exists on the device',
  3145735: 'A reboot is required',
  4194306: 'The application has already been deployed to this device',
  // The public clients have no message for these; the sentence follows the error's name in the device's error
  // catalogue (Azure/azure-sphere-tools ParseDeviceLog/24.06/commonerror_yml).
  3145739: 'The debugging server cannot itself be debugged',
  3145740: 'The debugging server cannot be started as an application',
  3145741: 'The debugging server cannot be stopped as an application',
  7340046: 'Invalid parameter for the image update',
  14680073: 'The trigger does not exist',
  14680079: 'The component ID could not be parsed',
  16777219: 'The image is not valid for this device (a capability file for another device, for example)',
};

/** Whether a device error code means "enable development mode first". */
export function isDevelopmentModeError(code: number | undefined): boolean {
  return code !== undefined && DEVELOPMENT_MODE_ERRORS.has(code);
}

export function deviceErrorMessage(code: number): string {
  return DEVICE_ERROR_MESSAGES[code] ?? `Unknown device error: ${code}`;
}

/** Client-side prefix per HTTP status, as the vendor clients word it; `detail` is the device error message. */
export function httpStatusMessage(status: number, detail: string): string {
  const suffix = detail ? ` ${detail}` : '';
  switch (status) {
    case 400:
      return `ERROR: An invalid request was made to the device.${suffix}`;
    case 403:
      return `ERROR: You do not have permission to perform this operation on this device.${suffix}`;
    case 404:
    case 412:
      return `ERROR: This resource is unavailable on this device.${suffix}${detail && !detail.endsWith('.') ? '.' : ''} Is your device up to date?`;
    case 409:
      return `ERROR: The device could not perform this request due to the resource being in a conflicting state.${suffix}`;
    case 415:
      return 'ERROR: The media type provided for this operation is unsupported.';
    case 500:
      return `ERROR: An internal device error occurred.${suffix}`;
    default:
      return `ERROR: The device answered with HTTP ${status}.${suffix}`;
  }
}
