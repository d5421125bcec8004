// Verifies the bearer access tokens the security API and ARM accept: RS256 signature against the emulator's JWKS
// key, issuer of a known directory, the expected audience, nbf/exp within the configured clock tolerance, a user
// the emulator knows.
import type { EmulatorContext } from './context';
import { nowSec } from './context';
import { bearerToken, type EmuRequest } from './http';
import type { User } from './model';

export type AuthResult = { ok: true; user: User; scopes: string[] } | { ok: false; missing: boolean; reason: string };

export function authenticate(ctx: EmulatorContext, req: EmuRequest, audience: string): AuthResult {
  const token = bearerToken(req);
  if (!token) return { ok: false, missing: true, reason: 'the request has no bearer token (Authorization: Bearer …)' };
  const checked = ctx.signer.verifySignature(token);
  if ('error' in checked) return { ok: false, missing: false, reason: checked.error };
  const p = checked.payload;
  const tid = typeof p.tid === 'string' ? p.tid : '';
  if (!ctx.store.state.directories.has(tid)) return { ok: false, missing: false, reason: 'the token names no known directory (tid)' };
  if (p.iss !== `${ctx.baseUrl}/${tid}/v2.0`) return { ok: false, missing: false, reason: 'the token issuer is not this authority' };
  if (p.aud !== audience) return { ok: false, missing: false, reason: `the token audience is not ${audience}` };
  const now = nowSec();
  const tolerance = ctx.clockToleranceSec;
  if (typeof p.exp !== 'number' || p.exp + tolerance <= now) return { ok: false, missing: false, reason: 'the token has expired' };
  if (typeof p.nbf === 'number' && p.nbf - tolerance > now) return { ok: false, missing: false, reason: 'the token is not valid yet (nbf)' };
  if (typeof p.iat === 'number' && p.iat - tolerance > now) return { ok: false, missing: false, reason: 'the token was issued in the future (iat)' };
  const scopes = typeof p.scp === 'string' ? p.scp.split(' ') : [];
  if (!scopes.includes('user_impersonation')) return { ok: false, missing: false, reason: 'the token lacks the user_impersonation scope' };
  const user = typeof p.oid === 'string' ? ctx.store.state.users.get(p.oid) : undefined;
  if (!user || user.directoryId !== tid) return { ok: false, missing: false, reason: 'the token names an unknown user' };
  return { ok: true, user, scopes };
}
