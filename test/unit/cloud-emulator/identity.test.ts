// The identity authority over real HTTPS: discovery documents, JWKS-verifiable RS256 tokens, device code, auth code
// with PKCE and form_post, refresh token rotation, and Azure AD's tenant gate with its AADSTS errors.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { PERSONAL_ACCOUNT_DIRECTORY_ID, SPHERE_API_AUDIENCE } from '../../../emulator/cloud/index';
import { call, SPHERE_SCOPE, seededEmulatorPerSuite } from '../../helpers/cloud-emulator';

const CLIENT_ID = '0B1C8F7E-28D2-4378-97E2-7D7D63F7C87F';

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.') as [string, string];
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>, payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown> };
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Parses the auto-submitting form_post page into its action and fields. */
function parseFormPost(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="POST" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, `no form_post form in: ${html.slice(0, 200)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  }
  return { action: action.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))), fields };
}

describe('cloud emulator: identity authority', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;

  before(async () => {
    emulator = seeded.emulator;
  });

  async function startDeviceCode(directory: string, scope = SPHERE_SCOPE) {
    const res = await call(emulator, `/${directory}/oauth2/v2.0/devicecode`, { method: 'POST', body: form({ client_id: CLIENT_ID, scope }) });
    assert.equal(res.status, 200, res.text);
    return res.json as { device_code: string; user_code: string; verification_uri: string; interval: number; expires_in: number; message: string };
  }

  function pollToken(directory: string, deviceCode: string) {
    return call(emulator, `/${directory}/oauth2/v2.0/token?client-request-id=abc`, { method: 'POST', body: form({ grant_type: 'device_code', client_id: CLIENT_ID, device_code: deviceCode }) });
  }

  it('publishes openid-configuration per directory and for organizations/common, with the issuer msal validates', async () => {
    const contoso = emulator.seed.directories.contoso.id;
    for (const [segment, issuerTenant] of [
      [contoso, contoso],
      ['organizations', '{tenantid}'],
      ['common', '{tenantid}'],
      ['consumers', PERSONAL_ACCOUNT_DIRECTORY_ID],
    ] as const) {
      for (const path of [`/${segment}/v2.0/.well-known/openid-configuration`, `/${segment}/.well-known/openid-configuration`]) {
        const res = await call(emulator, path);
        assert.equal(res.status, 200, path);
        const doc = res.json as Record<string, string>;
        assert.equal(doc.issuer, `${emulator.url}/${issuerTenant}/v2.0`);
        assert.equal(doc.token_endpoint, `${emulator.url}/${segment}/oauth2/v2.0/token`);
        assert.equal(doc.authorization_endpoint, `${emulator.url}/${segment}/oauth2/v2.0/authorize`);
        assert.equal(doc.jwks_uri, `${emulator.url}/${segment}/discovery/v2.0/keys`);
        assert.ok(doc.end_session_endpoint);
      }
    }
  });

  it('answers an unknown tenant with AADSTS90002 in the Azure AD error shape', async () => {
    const res = await call(emulator, '/00000000-1111-2222-3333-444444444444/v2.0/.well-known/openid-configuration');
    assert.equal(res.status, 400);
    const body = res.json as Record<string, unknown>;
    assert.equal(body.error, 'invalid_tenant');
    assert.match(String(body.error_description), /^AADSTS90002: Tenant '00000000-1111-2222-3333-444444444444' not found\./);
    assert.deepEqual(body.error_codes, [90002]);
    for (const key of ['timestamp', 'trace_id', 'correlation_id', 'error_uri']) assert.ok(body[key], key);
  });

  it('device code: authorization_pending until approved, then RS256 tokens that verify against the JWKS', async () => {
    const started = await startDeviceCode('organizations');
    assert.match(started.user_code, /^[A-Z0-9]{9}$/);
    assert.equal(started.verification_uri, `${emulator.url}/devicelogin`);
    assert.equal(started.interval, 1);
    assert.ok(started.message.includes(started.user_code));

    const pending = await pollToken('organizations', started.device_code);
    assert.equal(pending.status, 400);
    assert.equal((pending.json as Record<string, unknown>).error, 'authorization_pending');
    assert.equal((pending.json as Record<string, unknown>).correlation_id, 'abc');

    emulator.testHooks.approveDeviceCode(started.user_code, 'avery@contoso.com');
    const done = await pollToken('organizations', started.device_code);
    assert.equal(done.status, 200, done.text);
    const body = done.json as Record<string, string | number>;
    assert.equal(body.token_type, 'Bearer');
    assert.ok(Number(body.expires_in) >= 600);
    assert.ok(body.refresh_token);
    assert.ok(String(body.scope).includes('https://sphere.azure.net/api/user_impersonation'));
    const clientInfo = JSON.parse(Buffer.from(String(body.client_info), 'base64url').toString()) as Record<string, string>;
    const avery = emulator.seed.users.avery;
    assert.deepEqual(clientInfo, { uid: avery.oid, utid: avery.directoryId });

    const jwks = (await call(emulator, '/organizations/discovery/v2.0/keys')).json as { keys: { kid: string; n: string; e: string; kty: string }[] };
    const at = decodeJwt(String(body.access_token));
    assert.equal(at.header.alg, 'RS256');
    const jwk = jwks.keys.find((k) => k.kid === at.header.kid);
    assert.ok(jwk, 'access token kid is in the JWKS');
    const [h, p, s] = String(body.access_token).split('.') as [string, string, string];
    assert.ok(verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' }), Buffer.from(s, 'base64url')));
    assert.equal(at.payload.aud, SPHERE_API_AUDIENCE);
    assert.equal(at.payload.iss, `${emulator.url}/${avery.directoryId}/v2.0`);
    assert.equal(at.payload.tid, avery.directoryId);
    assert.equal(at.payload.oid, avery.oid);
    assert.equal(at.payload.scp, 'user_impersonation');
    assert.equal(at.payload.preferred_username, 'avery@contoso.com');
    const id = decodeJwt(String(body.id_token)).payload;
    assert.equal(id.aud, CLIENT_ID);
    assert.equal(id.tid, avery.directoryId);
    assert.equal(id.nonce, undefined, 'no nonce unless one was requested');

    const again = await pollToken('organizations', started.device_code);
    assert.equal((again.json as Record<string, unknown>).error, 'invalid_grant', 'a device code is redeemed once');
  });

  it('/organizations refuses a personal account with AADSTS50020; /consumers and /common admit it', async () => {
    const refused = await startDeviceCode('organizations');
    emulator.testHooks.approveDeviceCode(refused.user_code, 'sam@outlook.com');
    const res = await pollToken('organizations', refused.device_code);
    assert.equal(res.status, 400);
    const body = res.json as Record<string, unknown>;
    assert.equal(body.error, 'access_denied');
    assert.match(String(body.error_description), /^AADSTS50020: User account '\{EmailHidden\}' from identity provider 'live\.com' does not exist in tenant 'Microsoft Services'/);

    for (const segment of ['consumers', 'common']) {
      const ok = await startDeviceCode(segment);
      emulator.testHooks.approveDeviceCode(ok.user_code, 'sam@outlook.com');
      const tokens = await pollToken(segment, ok.device_code);
      assert.equal(tokens.status, 200, tokens.text);
      assert.equal(decodeJwt(String((tokens.json as Record<string, string>).id_token)).payload.tid, PERSONAL_ACCOUNT_DIRECTORY_ID);
    }
  });

  it('the /devicelogin page lets a person enter the code and pick an account; a refused account sees why', async () => {
    assert.match((await call(emulator, '/devicelogin')).text, /Enter code/);
    const started = await startDeviceCode('organizations');
    const page = await call(emulator, '/devicelogin', { method: 'POST', body: form({ user_code: started.user_code.toLowerCase(), login_hint: 'riley@contoso.com' }) });
    assert.equal(page.status, 200);
    assert.match(page.text, /return to the application/);
    const tokens = await pollToken('organizations', started.device_code);
    assert.equal(decodeJwt(String((tokens.json as Record<string, string>).access_token)).payload.preferred_username, 'riley@contoso.com');

    const refused = await startDeviceCode('organizations');
    const denied = await call(emulator, '/devicelogin', { method: 'POST', body: form({ user_code: refused.user_code, login_hint: 'sam@outlook.com' }) });
    assert.equal(denied.status, 403);
    assert.match(denied.text, /from identity provider &#39;live\.com&#39; does not exist/);
    const unknown = await call(emulator, '/devicelogin', { method: 'POST', body: form({ user_code: 'NOPE12345', login_hint: 'riley@contoso.com' }) });
    assert.match(unknown.text, /no pending device code/);
  });

  it('a directory authority admits only its own users', async () => {
    const fabrikam = emulator.seed.directories.fabrikam;
    const started = await startDeviceCode(fabrikam.id);
    emulator.testHooks.approveDeviceCode(started.user_code, 'avery@contoso.com');
    const res = await pollToken(fabrikam.id, started.device_code);
    assert.equal((res.json as Record<string, unknown>).error, 'access_denied');
    assert.match(String((res.json as Record<string, unknown>).error_description), /AADSTS50020: .* does not exist in tenant 'Fabrikam'/);
  });

  it('refuses scopes for two resources (AADSTS28000) and unknown resources (AADSTS500011)', async () => {
    const two = await call(emulator, '/organizations/oauth2/v2.0/devicecode', {
      method: 'POST',
      body: form({ client_id: CLIENT_ID, scope: 'https://sphere.azure.net/api/user_impersonation https://management.azure.com/user_impersonation' }),
    });
    assert.equal((two.json as Record<string, unknown>).error, 'invalid_scope');
    assert.match(String((two.json as Record<string, unknown>).error_description), /^AADSTS28000/);
    const unknown = await call(emulator, '/organizations/oauth2/v2.0/devicecode', { method: 'POST', body: form({ client_id: CLIENT_ID, scope: 'https://example.com/api/read' }) });
    assert.match(String((unknown.json as Record<string, unknown>).error_description), /^AADSTS500011/);
  });

  describe('authorization code with PKCE (form_post)', () => {
    const redirectUri = 'http://localhost:51234';

    async function authorize(extra: Record<string, string> = {}) {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const params = new URLSearchParams({
        client_id: CLIENT_ID,
        scope: SPHERE_SCOPE,
        redirect_uri: redirectUri,
        response_mode: 'form_post',
        response_type: 'code',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'st-123',
        client_info: '1',
        ...extra,
      });
      const res = await call(emulator, `/organizations/oauth2/v2.0/authorize?${params.toString()}`);
      return { res, verifier };
    }

    function redeem(code: string, verifier: string, uri = redirectUri) {
      return call(emulator, '/organizations/oauth2/v2.0/token', {
        method: 'POST',
        body: form({ grant_type: 'authorization_code', client_id: CLIENT_ID, code, code_verifier: verifier, redirect_uri: uri, scope: SPHERE_SCOPE }),
      });
    }

    afterEach(() => emulator.testHooks.setInteractiveUser(null));

    it('posts code, state and client_info to the loopback redirect; the code redeems once with the right verifier', async () => {
      const { res, verifier } = await authorize({ login_hint: 'parker@contoso.com', nonce: 'n-1' });
      assert.equal(res.status, 200);
      const { action, fields } = parseFormPost(res.text);
      assert.equal(action, redirectUri);
      assert.equal(fields.state, 'st-123');
      assert.ok(fields.client_info && fields.code && fields.session_state);

      assert.equal(((await redeem(fields.code!, 'wrong-verifier-wrong-verifier-wrong-verifier')).json as Record<string, unknown>).error, 'invalid_grant');
      const { fields: f2 } = parseFormPost((await authorize({ login_hint: 'parker@contoso.com', nonce: 'n-1' })).res.text);
      assert.equal(((await redeem(f2.code!, verifier)).json as Record<string, unknown>).error, 'invalid_grant', "another request's verifier does not fit");

      const { res: res3, verifier: v3 } = await authorize({ login_hint: 'parker@contoso.com', nonce: 'n-1' });
      const code = parseFormPost(res3.text).fields.code!;
      const mismatch = await redeem(code, v3, 'http://localhost:9');
      assert.match(String((mismatch.json as Record<string, unknown>).error_description), /^AADSTS50011/);
      const ok = await redeem(code, v3);
      assert.equal(ok.status, 200, ok.text);
      const id = decodeJwt(String((ok.json as Record<string, string>).id_token)).payload;
      assert.equal(id.preferred_username, 'parker@contoso.com');
      assert.equal(id.nonce, 'n-1', 'a requested nonce is echoed');
      const reused = await redeem(code, v3);
      assert.match(String((reused.json as Record<string, unknown>).error_description), /^AADSTS54005/);
    });

    it('the interactive-user hook picks the account; without hint or hook a sign-in page is shown', async () => {
      const page = await authorize();
      assert.equal(page.res.status, 200);
      assert.match(page.res.text, /<h1>Sign in<\/h1>/);
      assert.doesNotMatch(page.res.text, /name="code"/);

      emulator.testHooks.setInteractiveUser('riley@contoso.com');
      const { res, verifier } = await authorize();
      const tokens = await redeem(parseFormPost(res.text).fields.code!, verifier);
      assert.equal(decodeJwt(String((tokens.json as Record<string, string>).access_token)).payload.preferred_username, 'riley@contoso.com');
    });

    it('refuses a personal account at /organizations through the redirect, with AADSTS50020', async () => {
      const { res } = await authorize({ login_hint: 'sam@outlook.com' });
      const { fields } = parseFormPost(res.text);
      assert.equal(fields.error, 'access_denied');
      assert.match(fields.error_description!, /^AADSTS50020/);
      assert.equal(fields.code, undefined);
    });

    it('never redirects to a non-loopback URI', async () => {
      const { res } = await authorize({ redirect_uri: 'https://evil.example/cb', login_hint: 'avery@contoso.com' });
      assert.equal(res.status, 400);
      assert.match(res.text, /AADSTS50011/);
      assert.doesNotMatch(res.text, /evil\.example\/cb"/);
    });
  });

  it('rotates refresh tokens: the new one works, the used one is refused once the grace period is over', async () => {
    emulator.testHooks.setRefreshTokenReuseGrace(0);
    try {
      const started = await startDeviceCode('organizations');
      emulator.testHooks.approveDeviceCode(started.user_code, 'avery@contoso.com');
      const first = (await pollToken('organizations', started.device_code)).json as Record<string, string>;
      const refresh = (rt: string, scope = SPHERE_SCOPE) =>
        call(emulator, '/organizations/oauth2/v2.0/token', { method: 'POST', body: form({ grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: rt, scope }) });
      const second = await refresh(first.refresh_token!, 'https://management.azure.com//.default offline_access openid profile');
      assert.equal(second.status, 200, second.text);
      const secondBody = second.json as Record<string, string>;
      assert.notEqual(secondBody.refresh_token, first.refresh_token);
      assert.equal(decodeJwt(secondBody.access_token!).payload.aud, 'https://management.azure.com', 'one refresh token serves another resource');
      const reused = await refresh(first.refresh_token!);
      assert.equal((reused.json as Record<string, unknown>).error, 'invalid_grant');
      assert.equal((await refresh(secondBody.refresh_token!)).status, 200);
    } finally {
      emulator.testHooks.setRefreshTokenReuseGrace(60);
    }
  });
});
