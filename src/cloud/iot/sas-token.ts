// Shared access signatures for the IoT Hub and DPS data planes: `SharedAccessSignature sr=…&sig=…&se=…&skn=…`,
// sig = base64 HMAC-SHA256, keyed by the base64-decoded policy key, of `<url-encoded resource URI>\n<expiry>`
// (learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas, "Security tokens"). The key never leaves this
// module's caller in a message: errors name the policy, never the key or the token.
import { createHmac } from 'node:crypto';
import { InvalidArgumentError } from '../errors';

/**
 * encodeURIComponent plus ! ' ( ) *, exactly as Microsoft's SDKs encode `sr`, `sig` and `skn` (lower-case hex for
 * those five): the signature covers the encoded `sr`, so the encoding must be the one the hub expects.
 */
function encodeStrict(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

export interface SasKey {
  /** The shared access policy, e.g. `iothubowner` or `provisioningserviceowner`. */
  readonly keyName: string;
  /** Base64, as ARM's listkeys returns it. */
  readonly key: string;
}

/** A token for `resourceUri` (e.g. a hub host name) valid until `expiresAtSec` (Unix seconds). */
export function sharedAccessSignature(resourceUri: string, key: SasKey, expiresAtSec: number): string {
  if (!resourceUri) throw new InvalidArgumentError('A shared access signature needs a resource URI.');
  if (!Number.isInteger(expiresAtSec) || expiresAtSec <= 0) throw new InvalidArgumentError('A shared access signature needs an expiry in whole Unix seconds.');
  const secret = Buffer.from(key.key ?? '', 'base64');
  if (secret.length === 0) throw new InvalidArgumentError(`The key of policy "${key.keyName}" is empty or not base64.`);
  const sr = encodeStrict(resourceUri);
  const sig = createHmac('sha256', secret).update(`${sr}\n${expiresAtSec}`).digest('base64');
  const skn = key.keyName ? `&skn=${encodeStrict(key.keyName)}` : '';
  return `SharedAccessSignature sr=${sr}&sig=${encodeStrict(sig)}&se=${expiresAtSec}${skn}`;
}
