// RS256 JSON Web Tokens with node:crypto. One signing key for every directory (as Azure AD does), kept in the state
// directory so tokens issued before a restart still verify after it.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './files';
import { generateRsaKeyPair } from './pki';

export type JwtPayload = Record<string, unknown>;

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class JwtSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
  ) {}

  static async loadOrCreate(stateDir: string): Promise<JwtSigner> {
    const path = join(stateDir, 'token-signing-key.pem');
    if (!existsSync(path)) writeFileDurably(path, (await generateRsaKeyPair()).privateKeyPem);
    const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
    const publicKey = createPublicKey(privateKey);
    // RFC 7638 thumbprint of the public JWK as the key ID.
    const jwk = publicKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n })).digest('base64url');
    return new JwtSigner(privateKey, publicKey, kid);
  }

  sign(payload: JwtPayload): string {
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: this.kid }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), this.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }

  jwks(): { keys: object[] } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid: this.kid, n: jwk.n, e: jwk.e }] };
  }

  /** Checks the compact token's form, algorithm, key ID and signature; returns the payload or a reason. */
  verifySignature(token: string): { payload: JwtPayload } | { error: string } {
    const parts = token.split('.');
    if (parts.length !== 3) return { error: 'the token is not a compact JWS' };
    const [headerPart, bodyPart, signaturePart] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let payload: unknown;
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as typeof header;
      payload = JSON.parse(Buffer.from(bodyPart, 'base64url').toString('utf8'));
    } catch {
      return { error: 'the token header or payload is not base64url JSON' };
    }
    if (header.alg !== 'RS256') return { error: `algorithm ${String(header.alg)} is not accepted (RS256 only)` };
    if (header.kid !== this.kid) return { error: 'the token was signed with an unknown key' };
    const ok = verify('sha256', Buffer.from(`${headerPart}.${bodyPart}`), this.publicKey, Buffer.from(signaturePart, 'base64url'));
    if (!ok) return { error: 'the token signature is invalid' };
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { error: 'the token payload is not an object' };
    return { payload: payload as JwtPayload };
  }
}
