// msal-node accepts the emulator as its authority: PublicClientApplication with knownAuthorities = host:port and a
// network client that trusts the emulator CA gets tokens by device code (and interactively via form_post), the
// tokens work on the security API, silent refresh works, and /organizations refuses a personal account.
// (The extension's own sign-in code in src/cloud is tested by its owner; this proves the authority.)
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LogLevel, PublicClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { call, seededEmulatorPerSuite } from '../../helpers/cloud-emulator';

const CLIENT_ID = '0B1C8F7E-28D2-4378-97E2-7D7D63F7C87F';
const SPHERE_SCOPES = ['https://sphere.azure.net/api/user_impersonation'];

/** msal's INetworkModule over node:https with the emulator CA as trust anchor; 4xx bodies go back to msal, not thrown. */
class EmulatorTrustingNetworkClient implements INetworkModule {
  constructor(private readonly caPem: string) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private send<T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method, headers: options?.headers, ca: this.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as T });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options?.body);
    });
  }
}

function pca(emulator: CloudEmulator, directory = 'organizations'): PublicClientApplication {
  return new PublicClientApplication({
    auth: { clientId: CLIENT_ID, authority: emulator.authorityFor(directory), knownAuthorities: [new URL(emulator.url).host] },
    system: { networkClient: new EmulatorTrustingNetworkClient(emulator.caCertPem), loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined } },
  });
}

/** Plays the browser for acquireTokenInteractive: load the authorize URL, submit its form_post to msal's loopback. */
async function browser(authorizeUrl: string, caPem: string): Promise<void> {
  const page = await new Promise<string>((resolve, reject) => {
    httpsRequest(authorizeUrl, { ca: caPem }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    })
      .on('error', reject)
      .end();
  });
  const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
  const action = unescape(/action="([^"]+)"/.exec(page)![1]!);
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/name="([^"]+)" value="([^"]*)"/g)) fields.set(m[1]!, unescape(m[2]!));
  await new Promise<void>((resolve, reject) => {
    const body = fields.toString();
    httpRequest(action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    })
      .on('error', reject)
      .end(body);
  });
}

describe('cloud emulator: msal-node accepts the local authority', () => {
  const seeded = seededEmulatorPerSuite();
  let emulator: CloudEmulator;

  before(async () => {
    emulator = seeded.emulator;
  });

  it('device code at /organizations: a token the security API accepts, then silent and forced refresh', async () => {
    const app = pca(emulator);
    const result = await app.acquireTokenByDeviceCode({
      scopes: SPHERE_SCOPES,
      deviceCodeCallback: (r) => emulator.testHooks.approveDeviceCode(r.userCode, 'avery@contoso.com'),
    });
    assert.ok(result);
    assert.equal(result.account?.username, 'avery@contoso.com');
    assert.equal(result.tenantId, emulator.seed.directories.contoso.id);
    assert.equal(result.account?.homeAccountId, `${emulator.seed.users.avery.oid}.${emulator.seed.directories.contoso.id}`);
    const tenants = await call(emulator, '/v2/tenants', { token: result.accessToken });
    assert.equal(tenants.status, 200);

    const cached = await app.acquireTokenSilent({ account: result.account!, scopes: SPHERE_SCOPES });
    assert.equal(cached.accessToken, result.accessToken);
    const refreshed = await app.acquireTokenSilent({ account: result.account!, scopes: SPHERE_SCOPES, forceRefresh: true });
    assert.notEqual(refreshed.accessToken, result.accessToken);
    const arm = await app.acquireTokenSilent({ account: result.account!, scopes: ['https://management.azure.com/user_impersonation'] });
    assert.equal((await call(emulator, `/subscriptions?api-version=2022-12-01`, { token: arm.accessToken })).status, 200);
  });

  it('interactive (auth code + PKCE, form_post to the loopback listener) with the login hint choosing the account', async () => {
    const result = await pca(emulator).acquireTokenInteractive({
      scopes: SPHERE_SCOPES,
      loginHint: 'parker@contoso.com',
      openBrowser: (url) => browser(url, emulator.caCertPem),
      successTemplate: 'done',
      errorTemplate: 'error',
    });
    assert.equal(result.account?.username, 'parker@contoso.com');
    assert.equal((await call(emulator, `/v2/tenants/${emulator.seed.tenants.contoso.id}`, { token: result.accessToken })).status, 200);
  });

  it('refuses a personal account at /organizations (access_denied)', async () => {
    await assert.rejects(
      pca(emulator).acquireTokenByDeviceCode({
        scopes: SPHERE_SCOPES,
        deviceCodeCallback: (r) => emulator.testHooks.approveDeviceCode(r.userCode, 'sam@outlook.com'),
      }),
      (err: { errorCode?: string; errorMessage?: string }) => {
        // msal's device-code poller reduces any non-pending error to post_request_failed + the bare error code.
        assert.equal(err.errorCode, 'post_request_failed');
        assert.match(String(err.errorMessage), /access_denied/);
        return true;
      },
    );
    await assert.rejects(
      pca(emulator).acquireTokenInteractive({ scopes: SPHERE_SCOPES, loginHint: 'sam@outlook.com', openBrowser: (url) => browser(url, emulator.caCertPem), successTemplate: 'done', errorTemplate: 'error' }),
      (err: { errorCode?: string; errorMessage?: string }) => {
        assert.equal(err.errorCode, 'access_denied');
        assert.match(String(err.errorMessage), /AADSTS50020/);
        return true;
      },
    );
  });
});
