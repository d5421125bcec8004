// Host names of IoT hubs and provisioning services as ARM reports them (`contoso-hub.azure-devices.net`, or
// `127.0.0.1:40001` for the local emulator): checked before one is put into a URL, so a bad value is refused with
// its own words instead of turning into a request to somewhere else.
import { InvalidArgumentError } from '../errors';

const HOST = /^(?=.{1,253}(?::\d{1,5})?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;

export function requireHostName(what: string, value: unknown): string {
  if (typeof value !== 'string' || !HOST.test(value)) {
    throw new InvalidArgumentError(`The ${what} "${String(value)}" is not a host name (like my-hub.azure-devices.net).`);
  }
  const port = value.includes(':') ? Number(value.split(':')[1]) : 443;
  if (port < 1 || port > 65535) throw new InvalidArgumentError(`The ${what} "${value}" names port ${port}, which does not exist.`);
  return value;
}

/** The data plane's base URL, ending in `/`. */
export function baseUrlOf(hostName: string): string {
  return `https://${hostName}/`;
}
