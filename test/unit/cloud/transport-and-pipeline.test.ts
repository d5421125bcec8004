// The HTTPS transport and the request pipeline against a real HTTPS server on loopback (certificate from openssl):
// TLS is verified (an unknown CA is refused), http:// is refused before sending, 5xx are retried with capped
// backoff only when safe, and Operation polling (the emulator completes Operations at once, so the in-progress
// states are scripted here — the one place a fake stands in for the service).
import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CloudApiError } from '../../../src/cloud/api-error';
import { AuthorizedHttp, bearerAuthorization } from '../../../src/cloud/authorized-http';
import { CancelledError, InvalidArgumentError } from '../../../src/cloud/errors';
import { HttpsTransport, NetworkError } from '../../../src/cloud/https-transport';
import { OperationFailedError, waitForOperation } from '../../../src/cloud/operations';
import { retryPolicy } from '../../../src/cloud/retry-policy';
import type { AccessTokenProvider } from '../../../src/cloud/sign-in-engine';
import { OperationState, type Operation } from '../../../src/cloud/sphere-api-types';
import { OpensslPki, type IssuedCert } from '../../helpers/openssl-pki';

/** What the server answers; undefined = never answer (a hung server). */
type Handler = (req: { method: string; url: string; headers: Record<string, unknown> }) => { status: number; headers?: Record<string, string>; body?: string } | undefined;

const fixedToken: AccessTokenProvider = {
  getAccessToken: async () => ({ token: 'test-token', expiresOn: undefined, scopes: [], account: { id: 'a', username: 'u', displayName: 'u', directoryId: 'd' } }),
};

describe('cloud/HttpsTransport and AuthorizedHttp on a loopback HTTPS server', function () {
  this.timeout(20_000);
  let pki: OpensslPki;
  let ca: IssuedCert;
  let server: https.Server;
  let base: string;
  let handler: Handler;
  let transport: HttpsTransport;
  const seen: string[] = [];

  before(async () => {
    pki = new OpensslPki();
    ca = pki.createCa('Loopback Test CA', 'ec');
    const leaf = pki.issue(ca, '127.0.0.1', { serverFor127: true });
    server = https.createServer({ cert: leaf.pem, key: readFileSync(leaf.keyPath) }, (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const out = handler({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      if (!out) return;
      res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
      res.end(out.body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    transport = new HttpsTransport({ extraCaPem: ca.pem });
  });
  after(async () => {
    transport.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.dispose();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('verifies TLS: without the CA the same server is refused with a certificate error', async () => {
    handler = () => ({ status: 200, body: '{}' });
    assert.equal((await transport.send({ method: 'GET', url: base })).status, 200);
    const untrusting = new HttpsTransport();
    try {
      await assert.rejects(untrusting.send({ method: 'GET', url: base }), (e: unknown) => e instanceof NetworkError && /not trusted/.test(e.message));
    } finally {
      untrusting.close();
    }
  });

  it('keeps trusting the default roots when an extra CA is added (the child’s roots are set through OpenSSL)', async () => {
    handler = () => ({ status: 204 });
    const unrelated = pki.createCa('Unrelated Extra CA', 'ec');
    // The child runs with --use-openssl-ca and SSL_CERT_FILE = the server's CA, so that CA is one of its default
    // roots, and it is given an unrelated CA as the extra one: the request succeeds only if the roots were kept.
    const script = `
      const { HttpsTransport } = require(${JSON.stringify(require.resolve('../../../src/cloud/https-transport'))});
      const t = new HttpsTransport({ extraCaPem: process.env.EXTRA_PEM });
      t.send({ method: 'GET', url: process.env.TARGET }).then((r) => { console.log('status ' + r.status); t.close(); }, (e) => { console.log('error ' + e.message); t.close(); });`;
    const run = (rootsFile: string | undefined): Promise<string> =>
      new Promise((resolve, reject) => {
        const env: NodeJS.ProcessEnv = { ...process.env, EXTRA_PEM: unrelated.pem, TARGET: base, SSL_CERT_FILE: rootsFile ?? unrelated.certPath };
        delete env.NODE_EXTRA_CA_CERTS;
        execFile(process.execPath, ['--use-openssl-ca', '-r', 'tsx/cjs', '-e', script], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim())));
      });
    assert.equal(await run(ca.certPath), 'status 204');
    assert.match(await run(undefined), /^error .*not trusted/);
  });

  it('checks the server’s name: a trusted certificate issued for another name is refused', async () => {
    const otherName = pki.issue(ca, 'someone-else.example');
    const impostor = https.createServer({ cert: otherName.pem, key: readFileSync(otherName.keyPath) }, (_req, res) => res.end());
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}/`;
      await assert.rejects(transport.send({ method: 'GET', url }), (e: unknown) => e instanceof NetworkError && e.causeCode === 'ERR_TLS_CERT_ALTNAME_INVALID' && /issued for another name/.test(e.message));
    } finally {
      impostor.closeAllConnections();
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });

  it('refuses http:// before anything is sent', async () => {
    await assert.rejects(transport.send({ method: 'GET', url: base.replace('https', 'http') }), (e: unknown) => e instanceof InvalidArgumentError && /only https/.test(e.message));
    assert.deepEqual(seen, []);
  });

  function pipeline(sleeps: number[]): AuthorizedHttp {
    return new AuthorizedHttp({
      baseUrl: base,
      authorization: bearerAuthorization(fixedToken, ['x/.default']),
      transport,
      retry: retryPolicy({ baseDelayMs: 100, maxDelayMs: 300, maxRetries: 4, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) }),
    });
  }

  it('retries a GET through 5xx with capped exponential backoff, then succeeds', async () => {
    let n = 0;
    handler = () => (++n <= 4 ? { status: [500, 502, 503, 504][n - 1]! } : { status: 200, body: '{"ok":true}' });
    const sleeps: number[] = [];
    const body = await pipeline(sleeps).json<{ ok: boolean }>({ method: 'GET', path: 'thing', what: 'Reading the thing' });
    assert.deepEqual(body, { ok: true });
    assert.deepEqual(sleeps, [100, 200, 300, 300]);
    assert.equal(seen.length, 5);
  });

  it('does not repeat a POST after a 500 (it may have been acted on), and reports the server’s message', async () => {
    handler = () => ({ status: 500, body: '{"Code":4,"Message":"Something broke"}' });
    const sleeps: number[] = [];
    await assert.rejects(pipeline(sleeps).send({ method: 'POST', path: 'create', json: {}, what: 'Creating the thing' }), (e: unknown) => {
      assert.ok(e instanceof CloudApiError);
      assert.equal(e.message, 'Creating the thing failed: Something broke (InternalServerError, HTTP 500).');
      return true;
    });
    assert.deepEqual(sleeps, []);
    assert.equal(seen.length, 1);
  });

  it('scrubs a token the server echoes in its error text', async () => {
    handler = () => ({ status: 400, body: JSON.stringify({ error: { code: 'BadThing', message: 'bad header Bearer test-token-abcdefgh' } }) });
    await assert.rejects(pipeline([]).send({ method: 'GET', path: 'x', what: 'Reading x' }), (e: unknown) => e instanceof CloudApiError && !e.message.includes('test-token-abcdefgh') && e.code === 'BadThing');
  });

  it('cancels a request in flight when the AbortSignal fires', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const pending = transport.send({ method: 'GET', url: base, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, CancelledError);
    assert.equal(seen.length, 1, 'the request had reached the server');
  });
});

describe('cloud/waitForOperation', () => {
  const op = (state: number, error?: string): Operation => ({
    OperationId: '11111111-2222-4333-8444-555555555555',
    OperationType: 0,
    State: state,
    TenantId: null,
    CreatedDateUTC: null,
    StartedDateUTC: null,
    CompletedDateUTC: null,
    DetailsLocation: null,
    ResourceLocation: null,
    Error: error ? { Code: 0, Message: error } : null,
  });

  it('polls until Complete, sleeping the interval between polls', async () => {
    const states = [OperationState.InProgress, OperationState.InProgress, OperationState.Complete];
    const sleeps: number[] = [];
    const done = await waitForOperation(op(OperationState.NotStarted), async () => op(states.shift()!), 'Claiming', { sleep: async (ms) => void sleeps.push(ms), pollIntervalMs: 250 });
    assert.equal(done.State, OperationState.Complete);
    assert.deepEqual(sleeps, [250, 250, 250]);
  });

  it('turns Failed and CompleteWithErrors into OperationFailedError with the service’s reason', async () => {
    await assert.rejects(
      waitForOperation(op(OperationState.InProgress), async () => op(OperationState.Failed, 'Device is already claimed'), 'Claiming device X', { sleep: async () => undefined }),
      (e: unknown) => e instanceof OperationFailedError && e.message === 'Claiming device X failed: Device is already claimed.',
    );
    await assert.rejects(waitForOperation(op(OperationState.CompleteWithErrors), async () => op(0), 'Bulk claim', {}), /completed with errors/);
  });

  it('stops when the signal aborts and when the timeout passes', async () => {
    const controller = new AbortController();
    const pending = waitForOperation(op(OperationState.InProgress), async () => op(OperationState.InProgress), 'Claiming', { pollIntervalMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, CancelledError);

    let clock = 0;
    await assert.rejects(
      waitForOperation(op(OperationState.InProgress), async () => op(OperationState.InProgress), 'Creating tenant', {
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
        pollIntervalMs: 1000,
        timeoutMs: 5000,
      }),
      (e: unknown) => e instanceof CloudApiError && e.code === 'operation_timeout' && /still in progress after 5 s/.test(e.message),
    );
  });
});
