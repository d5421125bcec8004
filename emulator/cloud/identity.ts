// The identity authority: the Azure AD v2.0 endpoints msal-node uses (docs/cloud-api.md#identity-authority), with
// the AAD path layout, AADSTS errors and tenant gate. Users are chosen by login hint (or the test hook / sign-in
// page): there are no passwords.
import { createHash, randomInt } from 'node:crypto';
import { aad, AadError } from './aad-errors';
import { gate, issuerTenantFor, resolveAuthority, type Authority } from './authority';
import type { EmulatorContext } from './context';
import { escapeHtml, formBody, htmlResponse, jsonResponse, pathSegments, type EmuRequest, type EmuResponse } from './http';
import type { User } from './model';
import { resolveScopes, type ResolvedScopes } from './scopes';
import { issueTokens, newOpaqueCode, redeemRefreshToken } from './tokens';

const AUTH_CODE_LIFETIME_MS = 10 * 60 * 1000;
const DEVICE_CODE_LIFETIME_SEC = 900;
const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  codeChallengeMethod: string;
  scopes: ResolvedScopes;
  user: User;
  nonce: string | undefined;
  expiresAt: number;
  redeemed: boolean;
}

type DeviceCodeStatus = { kind: 'pending' } | { kind: 'approved'; user: User } | { kind: 'denied'; error: AadError };

interface DeviceCode {
  userCode: string;
  authority: Authority;
  clientId: string;
  scopes: ResolvedScopes;
  expiresAtMs: number;
  status: DeviceCodeStatus;
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function pkceMatches(verifier: string, challenge: string, method: string): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

export class IdentityService {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly deviceCodes = new Map<string, DeviceCode>();

  constructor(private readonly ctx: EmulatorContext) {}

  /** Test hook: the person at the browser for `userCode` signs in as `loginHint`. */
  approveDeviceCode(userCode: string, loginHint: string): void {
    const entry = [...this.deviceCodes.values()].find((d) => d.userCode === userCode.trim().toUpperCase());
    if (!entry) throw new Error(`no pending device code with user code '${userCode}'`);
    const user = this.userByHint(loginHint);
    if (!user) throw new Error(`no user '${loginHint}' in the emulator`);
    const refusal = gate(this.ctx.store.state, entry.authority, user, entry.clientId, this.ctx.baseUrl);
    entry.status = refusal ? { kind: 'denied', error: refusal } : { kind: 'approved', user };
  }

  async handle(req: EmuRequest): Promise<EmuResponse | undefined> {
    const segments = pathSegments(req.path);
    if (!segments || segments.length === 0) return undefined;
    if (segments[0] === 'devicelogin' && segments.length === 1) return this.deviceLoginPage(req);
    const rest = segments.slice(1).join('/');
    const known = [
      'v2.0/.well-known/openid-configuration',
      '.well-known/openid-configuration',
      'oauth2/v2.0/authorize',
      'oauth2/v2.0/token',
      'oauth2/v2.0/devicecode',
      'discovery/v2.0/keys',
      'oauth2/v2.0/logout',
    ];
    if (!known.includes(rest)) return undefined;
    const correlationId = req.headers['client-request-id']?.toString() ?? req.url.searchParams.get('client-request-id') ?? undefined;
    const authority = resolveAuthority(this.ctx.store.state, segments[0]!);
    if (!authority) return aad.tenantNotFound(segments[0]!).response(this.ctx.baseUrl, correlationId);
    switch (rest) {
      case 'v2.0/.well-known/openid-configuration':
      case '.well-known/openid-configuration':
        return req.method === 'GET' ? jsonResponse(200, this.openidConfiguration(authority)) : undefined;
      case 'discovery/v2.0/keys':
        return req.method === 'GET' ? jsonResponse(200, this.ctx.signer.jwks()) : undefined;
      case 'oauth2/v2.0/authorize':
        if (req.method === 'GET') return this.authorize(authority, req.url.searchParams, undefined);
        if (req.method === 'POST') {
          const form = formBody(req);
          return this.authorize(authority, form, form.get('login_hint') ?? undefined);
        }
        return undefined;
      case 'oauth2/v2.0/devicecode':
        return req.method === 'POST' ? this.deviceCode(authority, formBody(req), correlationId) : undefined;
      case 'oauth2/v2.0/token':
        return req.method === 'POST' ? this.token(authority, formBody(req), correlationId) : undefined;
      case 'oauth2/v2.0/logout':
        return htmlResponse(200, '<!doctype html><title>Signed out</title><p>You have signed out of the emulator.</p>');
    }
    return undefined;
  }

  private openidConfiguration(authority: Authority): Record<string, unknown> {
    const b = this.ctx.baseUrl;
    const t = authority.segment;
    return {
      token_endpoint: `${b}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${b}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${b}/${issuerTenantFor(authority)}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${b}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${b}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${b}/${t}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  private userByHint(hint: string): User | undefined {
    return this.ctx.store.state.usersByEmail.get(hint.trim().toLowerCase());
  }

  /** Both the GET from the browser and the POST of the sign-in page land here; `chosenHint` is the page's choice. */
  private async authorize(authority: Authority, params: URLSearchParams, chosenHint: string | undefined): Promise<EmuResponse> {
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    if (!GUID.test(clientId)) return this.errorPage(aad.invalidClient(clientId));
    if (!isLoopbackRedirect(redirectUri)) return this.errorPage(aad.redirectMismatch(redirectUri));
    const state = params.get('state') ?? undefined;
    const responseMode = params.get('response_mode') ?? 'query';
    const fail = (err: AadError): EmuResponse => this.redirect(redirectUri, responseMode, { error: err.error, error_description: String(err.body(this.ctx.baseUrl).error_description), state });
    const responseType = params.get('response_type') ?? '';
    if (responseType !== 'code') return fail(aad.unsupportedResponseType(responseType));
    const scopes = resolveScopes(params.get('scope') ?? '', authority.segment);
    if (scopes instanceof AadError) return fail(scopes);
    const codeChallenge = params.get('code_challenge');
    const codeChallengeMethod = params.get('code_challenge_method') ?? 'plain';
    if (codeChallenge && codeChallengeMethod !== 'S256' && codeChallengeMethod !== 'plain') return fail(new AadError('invalid_request', 50148, `Unsupported code_challenge_method '${codeChallengeMethod}'.`));

    const hint = chosenHint ?? this.ctx.knobs.interactiveUser ?? params.get('login_hint') ?? undefined;
    if (!hint) return this.signInPage(authority, params);
    const user = this.userByHint(hint);
    const directoryName = authority.kind === 'directory' ? authority.directory.name : authority.segment;
    if (!user) return fail(aad.unknownUser(directoryName));
    const refusal = gate(this.ctx.store.state, authority, user, clientId, this.ctx.baseUrl);
    if (refusal) return fail(refusal);

    this.purgeExpiredCodes();
    const code = newOpaqueCode();
    this.codes.set(code, {
      clientId,
      redirectUri,
      codeChallenge,
      codeChallengeMethod,
      scopes,
      user,
      nonce: params.get('nonce') ?? undefined,
      expiresAt: Date.now() + AUTH_CODE_LIFETIME_MS,
      redeemed: false,
    });
    const clientInfo = Buffer.from(JSON.stringify({ uid: user.oid, utid: user.directoryId })).toString('base64url');
    return this.redirect(redirectUri, responseMode, { code, state, client_info: clientInfo, session_state: newOpaqueCode().slice(0, 36) });
  }

  private purgeExpiredCodes(): void {
    const now = Date.now();
    for (const [code, entry] of this.codes) if (entry.expiresAt < now) this.codes.delete(code);
    for (const [code, entry] of this.deviceCodes) if (entry.expiresAtMs < now) this.deviceCodes.delete(code);
  }

  /** Sends the result back to the client's loopback listener: an auto-submitting form (form_post) or a 302. */
  private redirect(redirectUri: string, responseMode: string, fields: Record<string, string | undefined>): EmuResponse {
    const entries = Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined);
    if (responseMode === 'form_post') {
      const inputs = entries.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
      return htmlResponse(
        200,
        `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" action="${escapeHtml(redirectUri)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form></body></html>`,
      );
    }
    const target = new URL(redirectUri);
    for (const [k, v] of entries) target.searchParams.set(k, v);
    return { status: 302, headers: { location: target.toString() } };
  }

  private errorPage(err: AadError): EmuResponse {
    const description = String(err.body(this.ctx.baseUrl).error_description);
    return htmlResponse(400, `<!doctype html><title>Sign in error</title><h1>Sorry, but we're having trouble signing you in.</h1><pre>${escapeHtml(description)}</pre>`);
  }

  /** The tiny sign-in page for people: pick an account by email; no password. */
  private signInPage(authority: Authority, params: URLSearchParams): EmuResponse {
    const hidden = [...params.entries()]
      .filter(([k]) => k !== 'login_hint')
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const options = [...this.ctx.store.state.users.values()]
      .map((u) => `<option value="${escapeHtml(u.email)}">${escapeHtml(u.displayName)}</option>`)
      .join('');
    return htmlResponse(
      200,
      `<!doctype html><html><head><title>Sign in (cloud emulator)</title></head><body>
<h1>Sign in</h1><p>Local cloud emulator: choose an account (no password). Authority: ${escapeHtml(authority.segment)}</p>
<form method="POST" action="${escapeHtml(`${this.ctx.baseUrl}/${authority.segment}/oauth2/v2.0/authorize`)}">${hidden}
<label>Email <input name="login_hint" list="users" autofocus required></label><datalist id="users">${options}</datalist>
<button type="submit">Sign in</button></form></body></html>`,
    );
  }

  private async deviceCode(authority: Authority, form: URLSearchParams, correlationId: string | undefined): Promise<EmuResponse> {
    const clientId = form.get('client_id') ?? '';
    if (!GUID.test(clientId)) return aad.invalidClient(clientId).response(this.ctx.baseUrl, correlationId);
    const scopes = resolveScopes(form.get('scope') ?? '', authority.segment);
    if (scopes instanceof AadError) return scopes.response(this.ctx.baseUrl, correlationId);
    this.purgeExpiredCodes();
    const deviceCode = newOpaqueCode();
    const userCode = Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
    this.deviceCodes.set(deviceCode, {
      userCode,
      authority,
      clientId,
      scopes,
      expiresAtMs: Date.now() + DEVICE_CODE_LIFETIME_SEC * 1000,
      status: { kind: 'pending' },
    });
    const verificationUri = `${this.ctx.baseUrl}/devicelogin`;
    return jsonResponse(200, {
      user_code: userCode,
      device_code: deviceCode,
      verification_uri: verificationUri,
      expires_in: DEVICE_CODE_LIFETIME_SEC,
      interval: 1,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  }

  private async token(authority: Authority, form: URLSearchParams, correlationId: string | undefined): Promise<EmuResponse> {
    const fail = (err: AadError): EmuResponse => err.response(this.ctx.baseUrl, correlationId);
    const grantType = form.get('grant_type');
    const clientId = form.get('client_id') ?? '';
    if (!grantType) return fail(aad.missingParameter('grant_type'));
    if (!GUID.test(clientId)) return fail(aad.invalidClient(clientId));
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) return fail(aad.missingParameter('code'));
      const entry = this.codes.get(code);
      if (!entry || entry.clientId.toLowerCase() !== clientId.toLowerCase()) return fail(aad.invalidGrant());
      if (entry.redeemed) return fail(aad.codeRedeemed());
      if (entry.expiresAt < Date.now()) return fail(aad.codeExpired());
      if (form.get('redirect_uri') !== entry.redirectUri) return fail(aad.redirectMismatch(form.get('redirect_uri') ?? ''));
      if (entry.codeChallenge) {
        const verifier = form.get('code_verifier');
        if (!verifier) return fail(aad.pkceMissing());
        if (!pkceMatches(verifier, entry.codeChallenge, entry.codeChallengeMethod)) return fail(aad.pkceMismatch());
      }
      entry.redeemed = true;
      return this.tokenResponse({ user: entry.user, clientId, scopes: entry.scopes, nonce: entry.nonce });
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token');
      if (!presented) return fail(aad.missingParameter('refresh_token'));
      const scopes = resolveScopes(form.get('scope') ?? 'openid profile offline_access', authority.segment);
      if (scopes instanceof AadError) return fail(scopes);
      const redeemed = redeemRefreshToken(this.ctx, presented, clientId);
      if (!redeemed) return fail(aad.invalidGrant());
      const refusal = gate(this.ctx.store.state, authority, redeemed.user, clientId, this.ctx.baseUrl);
      if (refusal) return fail(refusal);
      await redeemed.markUsed();
      // Rotation: always hand out a fresh refresh token.
      return this.tokenResponse({ user: redeemed.user, clientId, scopes: { ...scopes, offlineAccess: true } });
    }
    if (grantType === 'device_code' || grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const code = form.get('device_code');
      if (!code) return fail(aad.missingParameter('device_code'));
      const entry = this.deviceCodes.get(code);
      if (!entry || entry.clientId.toLowerCase() !== clientId.toLowerCase()) return fail(aad.badDeviceCode());
      if (entry.expiresAtMs < Date.now()) {
        this.deviceCodes.delete(code);
        return fail(aad.deviceCodeExpired());
      }
      switch (entry.status.kind) {
        case 'pending':
          return fail(aad.authorizationPending());
        case 'denied':
          this.deviceCodes.delete(code);
          return fail(entry.status.error);
        case 'approved':
          this.deviceCodes.delete(code);
          return this.tokenResponse({ user: entry.status.user, clientId, scopes: entry.scopes });
      }
    }
    return fail(aad.unsupportedGrant(grantType));
  }

  private async tokenResponse(req: Parameters<typeof issueTokens>[1]): Promise<EmuResponse> {
    return jsonResponse(200, await issueTokens(this.ctx, req), { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  /** The page a person opens to enter a device code (GET shows the form, POST signs in). */
  private deviceLoginPage(req: EmuRequest): EmuResponse | undefined {
    const form = (message = ''): EmuResponse =>
      htmlResponse(
        200,
        `<!doctype html><html><head><title>Enter code (cloud emulator)</title></head><body><h1>Enter code</h1>${message}
<form method="POST"><label>Code <input name="user_code" required autofocus></label>
<label>Email <input name="login_hint" required></label><button type="submit">Next</button></form></body></html>`,
      );
    if (req.method === 'GET') return form();
    if (req.method !== 'POST') return undefined;
    const body = formBody(req);
    const userCode = body.get('user_code') ?? '';
    const loginHint = body.get('login_hint') ?? '';
    try {
      this.approveDeviceCode(userCode, loginHint);
    } catch (err) {
      return form(`<p role="alert">${escapeHtml((err as Error).message)}</p>`);
    }
    const entry = [...this.deviceCodes.values()].find((d) => d.userCode === userCode.trim().toUpperCase());
    if (entry?.status.kind === 'denied') {
      return htmlResponse(403, `<!doctype html><title>Sign in error</title><p role="alert">${escapeHtml(entry.status.error.message)}</p>`);
    }
    return htmlResponse(200, '<!doctype html><title>Done</title><p>You may now close this window and return to the application.</p>');
  }
}
