// The Authorization header for an IoT Hub or DPS data plane: a shared access signature for the service's host name,
// made from the policy key ARM's listkeys hands out. The key is asked for once and kept in memory only; after a 401
// (keys regenerated in the portal) it is asked for again. Tokens live an hour and are renewed 5 minutes early.
import type { AuthorizationSource } from '../authorized-http';
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
