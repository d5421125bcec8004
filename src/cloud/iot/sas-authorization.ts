// The Authorization header for an IoT Hub or DPS data plane: a shared access signature for the service's host name,
// made from the policy key ARM's listkeys hands out. The key is asked for once and kept in memory only; after a 401
// (keys regenerated in the portal) it is asked for again. Tokens live an hour and are renewed 5 minutes early.
import { AuthorizedHttp, type AuthorizationSource } from '../authorized-http';
import type { HttpTransport } from '../https-transport';
import { nullLogger, type Logger } from '../../common/logger';
import { retryPolicy, type RetryPolicy } from '../retry-policy';
import { baseUrlOf } from './hub-host-name';
import { sharedAccessSignature, type SasKey } from './sas-token';

const TOKEN_LIFETIME_SEC = 3600;
const RENEW_BEFORE_SEC = 300;

export function sasAuthorization(hostName: string, readKey: (signal?: AbortSignal) => Promise<SasKey>, now: () => number = Date.now): AuthorizationSource {
  let key: Promise<SasKey> | undefined;
  let token: { header: string; expiresAtSec: number } | undefined;
  return {
    async header({ forceRefresh, signal }) {
      const nowSec = Math.floor(now() / 1000);
      if (forceRefresh) {
        key = undefined;
        token = undefined;
      }
      if (token && token.expiresAtSec - RENEW_BEFORE_SEC > nowSec) return token.header;
      key ??= readKey(signal).catch((err: unknown) => {
        key = undefined;
        throw err;
      });
      const expiresAtSec = nowSec + TOKEN_LIFETIME_SEC;
      token = { header: sharedAccessSignature(hostName, await key, expiresAtSec), expiresAtSec };
      return token.header;
    },
  };
}

/** The request pipeline of a data plane at `hostName`, signed with the SAS of the key `readKey` gives. */
export function sasHttp(options: { hostName: string; readKey: (signal?: AbortSignal) => Promise<SasKey>; transport: HttpTransport; retry?: Partial<RetryPolicy>; logger?: Logger }): AuthorizedHttp {
  return new AuthorizedHttp({
    baseUrl: baseUrlOf(options.hostName),
    authorization: sasAuthorization(options.hostName, options.readKey),
    transport: options.transport,
    retry: retryPolicy(options.retry),
    logger: options.logger ?? nullLogger,
  });
}
