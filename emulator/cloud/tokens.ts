// Issues the token response Azure AD returns (access, id and refresh token, client_info) and redeems refresh tokens
// with rotation. Refresh tokens are stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorContext } from './context';
import { nowSec } from './context';
import type { User } from './model';
import type { ResolvedScopes } from './scopes';

const REFRESH_TOKEN_LIFETIME_SEC = 90 * 24 * 3600;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Pairwise subject: stable per user and app, as Azure AD's `sub`. */
function pairwiseSubject(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}|${clientId.toLowerCase()}`).digest('base64url').slice(0, 43);
}

export interface TokenRequestContext {
  user: User;
  clientId: string;
  scopes: ResolvedScopes;
  nonce?: string;
}

export async function issueTokens(ctx: EmulatorContext, req: TokenRequestContext): Promise<Record<string, unknown>> {
  const { user, clientId, scopes } = req;
  const iat = nowSec() + ctx.knobs.issuedTokenClockOffsetSec;
  const lifetime = ctx.knobs.accessTokenLifetimeSec;
  const iss = `${ctx.baseUrl}/${user.directoryId}/v2.0`;
  const common = { iss, iat, nbf: iat, exp: iat + lifetime, tid: user.directoryId, oid: user.oid, name: user.displayName, preferred_username: user.email, ver: '2.0' };
  const accessToken = ctx.signer.sign({
    ...common,
    aud: scopes.audience,
    sub: pairwiseSubject(user.oid, scopes.audience),
    scp: scopes.scp,
    azp: clientId,
    appid: clientId,
    uti: randomBytes(16).toString('base64url'),
  });
  const idClaims: Record<string, unknown> = { ...common, aud: clientId, sub: pairwiseSubject(user.oid, clientId), exp: iat + 3600 };
  if (req.nonce !== undefined) idClaims.nonce = req.nonce;
  const response: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: scopes.granted,
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    id_token: ctx.signer.sign(idClaims),
    client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: user.directoryId })).toString('base64url'),
  };
  if (scopes.offlineAccess) {
    const refreshToken = `1.${randomBytes(48).toString('base64url')}`;
    await ctx.store.commit({ t: 'refreshToken', hash: hashToken(refreshToken), oid: user.oid, clientId, expiresAt: nowSec() + REFRESH_TOKEN_LIFETIME_SEC });
    response.refresh_token = refreshToken;
  }
  return response;
}

/** Looks up a presented refresh token; on success the user, and `markUsed` to record its rotation. */
export function redeemRefreshToken(ctx: EmulatorContext, token: string, clientId: string): { user: User; markUsed: () => Promise<void> } | undefined {
  const hash = hashToken(token);
  const record = ctx.store.state.refreshTokens.get(hash);
  const now = nowSec();
  if (!record || record.expiresAt < now || record.clientId.toLowerCase() !== clientId.toLowerCase()) return undefined;
  if (record.usedAt !== null && now - record.usedAt >= ctx.knobs.refreshTokenReuseGraceSec) return undefined;
  const user = ctx.store.state.users.get(record.oid);
  if (!user) return undefined;
  const markUsed = (): Promise<void> => (record.usedAt === null ? ctx.store.commit({ t: 'refreshTokenUsed', hash, at: now }) : Promise.resolve());
  return { user, markUsed };
}

export function newOpaqueCode(): string {
  return randomBytes(32).toString('base64url');
}

