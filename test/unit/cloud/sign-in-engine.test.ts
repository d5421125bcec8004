// msal-node flows end to end against the cloud emulator over HTTPS: interactive through a scripted browser and
// msal's loopback form_post, device code, silent refresh, the cache restored from the SecretStore, sign-out,
// cancellation, personal-account refusal, and no secret in any log line or error text.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { CancelledError } from '../../../src/cloud/errors';
import { PersonalAccountError } from '../../../src/cloud/personal-account';
import { InMemorySecretStore } from '../../../src/cloud/secret-store';
import { SignInEngine, SignInError, SignInRequiredError, type DeviceCodePrompt } from '../../../src/cloud/sign-in-engine';
import { engineFor, jwtPayload, LogCapture, ScriptedBrowser, startEmulator, type EmulatorFixture } from '../../helpers/cloud-harness';

const API_SCOPES = ['https://sphere.azure.net/api/user_impersonation'];

/** Every secret in a serialized msal cache (access, refresh and id tokens). */
function secretsIn(serializedCache: string): string[] {
  const cache = JSON.parse(serializedCache) as Record<string, Record<string, { secret?: string }>>;
  return ['AccessToken', 'RefreshToken', 'IdToken'].flatMap((section) => Object.values(cache[section] ?? {}).map((e) => e.secret ?? '')).filter((s) => s.length > 0);
}

describe('cloud/SignInEngine against the emulator', function () {
  this.timeout(20_000);
  let fx: EmulatorFixture;

  before(async () => {
    fx = await startEmulator();
  });
  after(async () => {
    await fx.close();
  });
  afterEach(() => {
    fx.emu.testHooks.setInteractiveUser(null);
    fx.emu.testHooks.setAccessTokenLifetime(3600);
  });

  it('signs in interactively through the browser and the loopback form_post, then gets an API token silently', async () => {
    const store = new InMemorySecretStore();
    const browser = new ScriptedBrowser(fx.emu);
    const engine = engineFor(fx, { secretStore: store, browser });
    try {
      const account = await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      assert.equal(account.username, 'avery@contoso.com');
      assert.equal(account.directoryId, fx.emu.seed.directories.contoso.id);
      assert.equal(browser.opened.length, 1);
      const authorize = new URL(browser.opened[0]!);
      assert.equal(authorize.origin, fx.emu.url);
      assert.equal(authorize.pathname, '/organizations/oauth2/v2.0/authorize');
      assert.equal(authorize.searchParams.get('response_mode'), 'form_post');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');

      const token = await engine.getAccessToken(API_SCOPES);
      const claims = jwtPayload(token.token);
      assert.equal(claims.aud, 'https://sphere.azure.net/api');
      assert.equal(claims.preferred_username, 'avery@contoso.com');
      assert.equal(token.account.id, account.id);
      assert.equal(store.keys().length, 1, 'the token cache is persisted under one key');
    } finally {
      engine.dispose();
    }
  });

  it('restores the session from the SecretStore in a new engine without opening a browser', async () => {
    const store = new InMemorySecretStore();
    const first = engineFor(fx, { secretStore: store });
    await first.signInInteractive({ loginHint: 'parker@contoso.com' });
    first.dispose();

    const noBrowser = new ScriptedBrowser(fx.emu);
    const second = engineFor(fx, { secretStore: store, browser: noBrowser });
    try {
      const accounts = await second.getAccounts();
      assert.deepEqual(accounts.map((a) => a.username), ['parker@contoso.com']);
      const token = await second.getAccessToken(API_SCOPES);
      assert.equal(jwtPayload(token.token).preferred_username, 'parker@contoso.com');
      assert.equal(noBrowser.opened.length, 0);
    } finally {
      second.dispose();
    }
  });

  it('refreshes silently: forced, and when the token is within msal’s renewal window; the rotated cache is saved', async () => {
    const store = new InMemorySecretStore();
    const engine = engineFor(fx, { secretStore: store });
    try {
      fx.emu.testHooks.setAccessTokenLifetime(3600);
      await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      const first = await engine.getAccessToken(API_SCOPES);
      const cached = await engine.getAccessToken(API_SCOPES);
      assert.equal(cached.token, first.token, 'a fresh token comes from the cache');
      const savedBefore = (await store.get(store.keys()[0]!))!;

      const forced = await engine.getAccessToken(API_SCOPES, { forceRefresh: true });
      assert.notEqual(forced.token, first.token);
      const savedAfter = (await store.get(store.keys()[0]!))!;
      assert.notDeepEqual(secretsIn(savedAfter), secretsIn(savedBefore), 'the refreshed (rotated) tokens were persisted');

      // Tokens that live less than msal's 5-minute renewal offset are refreshed on every silent call.
      fx.emu.testHooks.setAccessTokenLifetime(120);
      const short = await engine.getAccessToken(API_SCOPES, { forceRefresh: true });
      const renewed = await engine.getAccessToken(API_SCOPES);
      assert.notEqual(renewed.token, short.token);
    } finally {
      engine.dispose();
    }
  });

  it('gets a token for another resource (ARM) from the same sign-in without UI', async () => {
    const browser = new ScriptedBrowser(fx.emu);
    const engine = engineFor(fx, { browser });
    try {
      await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      const arm = await engine.getAccessToken(['https://management.azure.com/user_impersonation']);
      assert.equal(jwtPayload(arm.token).aud, 'https://management.azure.com');
      assert.equal(browser.opened.length, 1);
    } finally {
      engine.dispose();
    }
  });

  it('signs in with a device code shown through the UI callback, and closes the prompt afterwards', async () => {
    const prompts: DeviceCodePrompt[] = [];
    let closed = 0;
    const engine = engineFor(fx, {
      showDeviceCode: (prompt) => {
        prompts.push(prompt);
        // The person enters the code on the verification page as riley.
        setImmediate(() => fx.emu.testHooks.approveDeviceCode(prompt.userCode, 'riley@contoso.com'));
        return () => closed++;
      },
    });
    try {
      const account = await engine.signInWithDeviceCode();
      assert.equal(account.username, 'riley@contoso.com');
      assert.equal(prompts.length, 1);
      assert.equal(prompts[0]!.verificationUri, `${fx.emu.url}/devicelogin`);
      assert.match(prompts[0]!.message, new RegExp(prompts[0]!.userCode));
      assert.ok(prompts[0]!.expiresOn.getTime() > Date.now());
      assert.equal(closed, 1);
      assert.equal(jwtPayload((await engine.getAccessToken(API_SCOPES)).token).preferred_username, 'riley@contoso.com');
    } finally {
      engine.dispose();
    }
  });

  it('stops a device-code sign-in when the AbortSignal fires', async () => {
    const controller = new AbortController();
    let closed = false;
    const engine = engineFor(fx, {
      showDeviceCode: () => {
        setTimeout(() => controller.abort(), 50);
        return () => {
          closed = true;
        };
      },
    });
    try {
      await assert.rejects(engine.signInWithDeviceCode({ signal: controller.signal }), CancelledError);
      assert.equal(closed, true);
      assert.deepEqual(await engine.getAccounts(), []);
    } finally {
      engine.dispose();
    }
  });

  it('cancels an interactive sign-in that waits for the browser, and frees the loopback listener', async () => {
    const controller = new AbortController();
    let authorizeUrl = '';
    const engine = engineFor(fx, {
      openBrowser: async (url) => {
        authorizeUrl = url; // the person never finishes in the browser
        setTimeout(() => controller.abort(), 20);
      },
    });
    try {
      await assert.rejects(engine.signInInteractive({ signal: controller.signal }), CancelledError);
      const port = Number(new URL(new URL(authorizeUrl).searchParams.get('redirect_uri')!).port);
      await assert.rejects(
        new Promise((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: '/' }, resolve);
          req.on('error', reject);
          req.end();
        }),
        /ECONNREFUSED/,
      );
    } finally {
      engine.dispose();
    }
  });

  it('refuses a personal Microsoft account at /organizations with the work-or-school explanation', async () => {
    const engine = engineFor(fx);
    try {
      await assert.rejects(engine.signInInteractive({ loginHint: 'sam@outlook.com' }), (err: unknown) => {
        assert.ok(err instanceof PersonalAccountError);
        assert.match(err.message, /work or school account/);
        assert.match(err.message, /personal Microsoft account/);
        assert.match(err.message, /create-new-tenant/);
        return true;
      });
      assert.deepEqual(await engine.getAccounts(), []);
    } finally {
      engine.dispose();
    }
  });

  it('refuses a personal account that got tokens at /common and removes it from the cache and the SecretStore', async () => {
    const store = new InMemorySecretStore();
    const engine = engineFor(fx, { secretStore: store, settings: { tenant: 'common' } });
    try {
      await assert.rejects(engine.signInInteractive({ loginHint: 'sam@outlook.com' }), (err: unknown) => err instanceof PersonalAccountError && /sam@outlook\.com/.test(err.message));
      assert.deepEqual(await engine.getAccounts(), []);
      assert.deepEqual(store.keys(), [], 'nothing of the personal account is kept');
      await assert.rejects(engine.getAccessToken(API_SCOPES), SignInRequiredError);
    } finally {
      engine.dispose();
    }
  });

  it('refuses a personal account approved for a device code', async () => {
    const engine = engineFor(fx, { showDeviceCode: (p) => void setImmediate(() => fx.emu.testHooks.approveDeviceCode(p.userCode, 'sam@outlook.com')) });
    try {
      await assert.rejects(engine.signInWithDeviceCode(), PersonalAccountError);
    } finally {
      engine.dispose();
    }
  });

  it('signs out: the account, its tokens and the SecretStore entry are gone; token requests then ask for sign-in', async () => {
    const store = new InMemorySecretStore();
    const engine = engineFor(fx, { secretStore: store });
    try {
      await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      assert.equal(store.keys().length, 1);
      await engine.signOut();
      assert.deepEqual(await engine.getAccounts(), []);
      assert.deepEqual(store.keys(), []);
      await assert.rejects(engine.getAccessToken(API_SCOPES), (err: unknown) => err instanceof SignInRequiredError && /not signed in/.test(err.message));
    } finally {
      engine.dispose();
    }
  });

  it('sees another window’s sign-out through the shared SecretStore, and reports account changes', async () => {
    const store = new InMemorySecretStore();
    const windowA = engineFor(fx, { secretStore: store });
    const windowB = engineFor(fx, { secretStore: store });
    const seenByA: string[][] = [];
    const subscription = windowA.onDidChangeAccounts((accounts) => seenByA.push(accounts.map((a) => a.username)));
    try {
      await windowA.signInInteractive({ loginHint: 'avery@contoso.com' });
      await windowA.getAccessToken(API_SCOPES);
      assert.deepEqual((await windowB.getAccounts()).map((a) => a.username), ['avery@contoso.com']);
      await windowB.signOut();
      // Window A's editor layer hears SecretStorage change and tells its engine.
      await windowA.handleExternalCacheChange();
      assert.deepEqual(await windowA.getAccounts(), []);
      await assert.rejects(windowA.getAccessToken(API_SCOPES), SignInRequiredError);
      assert.deepEqual(seenByA, [['avery@contoso.com'], []]);
    } finally {
      subscription.dispose();
      windowA.dispose();
      windowB.dispose();
    }
  });

  it('asks for a new sign-in when the refresh token is no longer accepted', async () => {
    const store = new InMemorySecretStore();
    const engine = engineFor(fx, { secretStore: store });
    try {
      await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      const key = store.keys()[0]!;
      const cache = JSON.parse((await store.get(key))!) as { RefreshToken: Record<string, { secret: string }> };
      for (const entry of Object.values(cache.RefreshToken)) entry.secret = 'revoked-by-the-test';
      const fresh = engineFor(fx, { secretStore: store });
      await store.store(key, JSON.stringify(cache));
      await assert.rejects(fresh.getAccessToken(API_SCOPES, { forceRefresh: true }), (err: unknown) => err instanceof SignInRequiredError && /avery@contoso\.com/.test(err.message));
      fresh.dispose();
    } finally {
      engine.dispose();
    }
  });

  it('refuses an authority whose certificate is not trusted (TLS is never switched off), naming the host', async () => {
    const browser = new ScriptedBrowser(fx.emu);
    const engine = new SignInEngine({ settings: fx.settings, secretStore: new InMemorySecretStore(), openBrowser: browser.open });
    try {
      await assert.rejects(engine.signInInteractive({ loginHint: 'avery@contoso.com' }), (err: unknown) => {
        assert.ok(err instanceof SignInError);
        assert.equal(err.code, 'endpoints_resolution_error');
        assert.match(err.message, new RegExp(`Could not reach the sign-in authority 127\\.0\\.0\\.1:${fx.emu.port}`));
        return true;
      });
      assert.equal(browser.opened.length, 0, 'nothing was shown to the person');
    } finally {
      engine.dispose();
    }
  });

  it('never writes a token into a log line or an error message', async () => {
    const logs = new LogCapture();
    const store = new InMemorySecretStore();
    const engine = engineFor(fx, { secretStore: store, logs });
    const errors: string[] = [];
    try {
      await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
      await engine.getAccessToken(API_SCOPES, { forceRefresh: true });
      await engine.getAccessToken(['https://management.azure.com/user_impersonation']);
      await engine.signInInteractive({ loginHint: 'sam@outlook.com' }).catch((e: Error) => errors.push(e.message));
      await engine.getAccessToken(['https://nowhere.example/api/x']).catch((e: Error) => errors.push(e.message));
      const secrets = secretsIn((await store.get(store.keys()[0]!))!);
      assert.ok(secrets.length >= 3);
      assert.ok(logs.lines.length > 10, 'verbose msal logging produced output to check');
      for (const line of [...logs.lines, ...errors]) {
        for (const secret of secrets) assert.ok(!line.includes(secret), `secret leaked into: ${line.slice(0, 120)}`);
        assert.doesNotMatch(line, /eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
      }
    } finally {
      engine.dispose();
    }
  });
});
