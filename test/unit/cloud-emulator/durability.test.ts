// Durable state: a clean restart keeps users, tenants, claims, roles, CA keys, hub certificates, the token-signing
// key, the TLS certificate and the port; `kill -9` of a child-process emulator in the middle of 1,000+ concurrent
// claims loses no acknowledged claim and never leaves a device in two tenants; a torn journal tail is cut off.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { JournalCorruptError, replayJournal } from '../../../emulator/cloud/journal';
import { Journal } from '../../../emulator/cloud/journal';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud/index';
import { ARM_SCOPE, call, deviceId, removeDir, seededStateDir, tempStateDir, tokenFor } from '../../helpers/cloud-emulator';

type Json = Record<string, unknown>;
const MAIN = resolve(__dirname, '../../../emulator/cloud/main.ts');

async function listDevices(emulator: { url: string; caCertPem: string }, tenantId: string, token: string, agent?: Agent): Promise<string[]> {
  const ids: string[] = [];
  let continuation: string | null = null;
  do {
    const res = await call(emulator, `/v2/tenants/${tenantId}/devices`, { token, agent, headers: continuation ? { 'Sphere-Continuation': continuation } : {} });
    assert.equal(res.status, 200, res.text);
    const body = res.json as { Items: Json[]; ContinuationToken: string | null };
    ids.push(...body.Items.map((d) => String(d.DeviceId)));
    continuation = body.ContinuationToken;
  } while (continuation);
  return ids;
}

function spawnEmulator(stateDir: string, port: number, extraArgs: string[] = []): Promise<{ child: ChildProcess; url: string; caCertPem: string }> {
  // One process (node --import tsx), so SIGKILL hits the emulator itself and not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', String(port), '--state', stateDir, '--quiet', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const ready = JSON.parse(line) as { event: string; url: string; caCertPath: string };
      assert.equal(ready.event, 'listening');
      resolvePromise({ child, url: ready.url, caCertPem: readFileSync(ready.caCertPath, 'utf8') });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code}): ${stderr}`)));
  });
}

describe('cloud emulator: durable state', () => {
  it('a restart keeps tenants, claims, roles, CA keys, hub certificates, the signing key, TLS identity and port', async () => {
    const stateDir = await seededStateDir();
    let emulator: CloudEmulator | undefined = await startCloudEmulator({ port: 0, stateDir, seed: true });
    try {
      const port = emulator.port;
      const caPem = emulator.caCertPem;
      const token = await tokenFor(emulator, 'jordan@fabrikam.com');
      const armToken = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
      const board = deviceId(0x4242);
      const created = await call(emulator, '/v2/tenants/create', { method: 'POST', token, body: { DeviceId: board, TenantFriendlyName: 'Survivor', ForceAdditional: true } });
      const tenantId = String((created.json as Json).TenantId);
      assert.equal((await call(emulator, `/v2/tenants/${tenantId}/devices/${board}/claim`, { method: 'PUT', token })).status, 202);
      const thumbprint = ((await call(emulator, `/v2/tenants/${tenantId}/certificates`, { token })).json as Json[])[0]!.Thumbprint;
      const h = emulator.seed.hubs.contosoHub;
      const hubCert = `/subscriptions/${h.subscriptionId}/resourceGroups/${h.resourceGroup}/providers/Microsoft.Devices/IotHubs/${h.name}/certificates/kept?api-version=2023-06-30`;
      const caB64 = String((await call(emulator, `/v2/tenants/${tenantId}/cert`, { token })).json);
      const uploaded = await call(emulator, hubCert, { method: 'PUT', token: armToken, body: { properties: { certificate: caB64 } } });
      assert.equal(uploaded.status, 201, uploaded.text);
      await emulator.close();

      emulator = await startCloudEmulator({ stateDir }); // no port given: the persisted one
      assert.equal(emulator.port, port);
      assert.equal(emulator.caCertPem, caPem);
      // Tokens issued before the restart still verify: same key, same issuer host:port.
      assert.deepEqual((await call(emulator, `/v2/tenants/${tenantId}`, { token })).json, { Id: tenantId, Name: 'Survivor', Roles: ['Administrator'] });
      assert.deepEqual(await listDevices(emulator, tenantId, token), [board]);
      assert.equal(((await call(emulator, `/v2/tenants/${tenantId}/certificates`, { token })).json as Json[])[0]!.Thumbprint, thumbprint);
      assert.equal((await call(emulator, hubCert, { token: armToken })).status, 200);
      const other = await call(emulator, `/v2/tenants/${emulator.seed.tenants.contoso.id}/devices/${board}/claim`, { method: 'PUT', token: await tokenFor(emulator, 'avery@contoso.com') });
      assert.equal(other.status, 409, 'the claim is still forever after a restart');
    } finally {
      await emulator?.close();
      removeDir(stateDir);
    }
  });

  it('kill -9 during 1,000 concurrent claims (plus 500 competing ones) loses no acknowledged claim', async function () {
    this.timeout(120_000);
    const stateDir = await seededStateDir();
    // Mint tokens in-process on a fixed port, then hand the state (and port) to a child process.
    const minting = await startCloudEmulator({ port: 0, stateDir });
    const port = minting.port;
    const contoso = minting.seed.tenants.contoso.id;
    const fabrikam = minting.seed.tenants.fabrikam.id;
    const avery = await tokenFor(minting, 'avery@contoso.com');
    const jordan = await tokenFor(minting, 'jordan@fabrikam.com');
    await minting.close();

    const { child, url, caCertPem } = await spawnEmulator(stateDir, port);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const acknowledged = new Map<string, Set<string>>([
      [contoso, new Set()],
      [fabrikam, new Set()],
    ]);
    let acks = 0;
    let killed = false;
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    const claim = async (tenantId: string, token: string, id: string): Promise<void> => {
      try {
        const res = await call({ url, caCertPem }, `/v2/tenants/${tenantId}/devices/${id}/claim`, { method: 'PUT', token, agent });
        if (res.status === 202) {
          acknowledged.get(tenantId)!.add(id);
          acks += 1;
          if (acks === 400 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        } else {
          assert.equal(res.status, 409, res.text);
        }
      } catch {
        // connection cut by the kill: not acknowledged, so nothing is promised
      }
    };
    const ids = Array.from({ length: 1000 }, (_, i) => deviceId(0x50000 + i));
    await Promise.all([...ids.map((id) => claim(contoso, avery, id)), ...ids.slice(0, 500).map((id) => claim(fabrikam, jordan, id))]);
    agent.destroy();
    assert.ok(killed, 'the kill happened while claims were running');
    assert.equal(await exited, 'SIGKILL');
    assert.ok(acks < 1500, `some claims were cut off by the kill (acknowledged ${acks})`);

    const restarted = await startCloudEmulator({ port, stateDir });
    try {
      const inContoso = new Set(await listDevices(restarted, contoso, avery));
      const inFabrikam = new Set(await listDevices(restarted, fabrikam, jordan));
      for (const id of acknowledged.get(contoso)!) assert.ok(inContoso.has(id), `acknowledged claim of ${id.slice(0, 8)}… into Contoso survived`);
      for (const id of acknowledged.get(fabrikam)!) assert.ok(inFabrikam.has(id), `acknowledged claim of ${id.slice(0, 8)}… into Fabrikam survived`);
      for (const id of inContoso) assert.ok(!inFabrikam.has(id), `device ${id.slice(0, 8)}… is in two tenants`);
    } finally {
      await restarted.close();
      removeDir(stateDir);
    }
  });

  it('--bulk-devices: 10,000 claimed devices in Contoso Fleet, listed in pages of 1,000, kept across a restart', async function () {
    this.timeout(60_000);
    const stateDir = await seededStateDir();
    const { child, url, caCertPem } = await spawnEmulator(stateDir, 0, ['--seed', '--bulk-devices', '10000']);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const emulator = await startCloudEmulator({ stateDir }); // no bulkDevices: the devices must come from the journal
    try {
      assert.equal(emulator.url, url, 'the CLI persisted its port');
      assert.equal(emulator.caCertPem, caCertPem);
      const token = await tokenFor(emulator, 'avery@contoso.com');
      const ids = await listDevices(emulator, emulator.seed.tenants.contosoFleet.id, token);
      assert.equal(ids.length, 10_000);
      assert.equal(new Set(ids).size, 10_000);
      assert.ok(ids.every((id) => /^[0-9A-F]{128}$/.test(id)));
    } finally {
      await emulator.close();
      removeDir(stateDir);
    }
  });

  it('one emulator per state directory: a second one is refused while the first runs (a dead owner\'s lock is taken over, see kill -9)', async () => {
    const stateDir = await seededStateDir();
    const first = await startCloudEmulator({ port: 0, stateDir });
    try {
      await assert.rejects(startCloudEmulator({ port: 0, stateDir }), /is in use by another cloud emulator \(process \d+\)/);
    } finally {
      await first.close();
    }
    await (await startCloudEmulator({ port: 0, stateDir })).close();
    removeDir(stateDir);
  });

  it('the CLI refuses bad options with a specific message and exit code 2', () => {
    const dir = tempStateDir();
    const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--state', dir, '--port', 'http'], { encoding: 'utf8' });
    removeDir(dir);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--port must be an integer from 0 to 65535, not 'http'/);
    const noState = spawnSync(process.execPath, ['--import', 'tsx', MAIN], { encoding: 'utf8' });
    assert.equal(noState.status, 2);
    assert.match(noState.stderr, /--state DIR is required/);
  });

  describe('journal', () => {
    let dir: string;
    beforeEach(() => {
      dir = tempStateDir();
    });
    afterEach(() => removeDir(dir));

    it('cuts off a torn tail (nothing in it was acknowledged) and keeps every complete record', async () => {
      const path = join(dir, 'journal.log');
      const journal = await Journal.open(path);
      await Promise.all([1, 2, 3].map((n) => journal.append({ n })));
      await journal.close();
      const intactSize = statSync(path).size;
      appendFileSync(path, '1a2b3c4d {"n":4, "tor');
      assert.deepEqual(replayJournal(path), [{ n: 1 }, { n: 2 }, { n: 3 }]);
      assert.equal(statSync(path).size, intactSize, 'the torn bytes are gone, so the next append starts clean');
    });

    it('refuses a journal damaged before intact records instead of skipping them', async () => {
      const path = join(dir, 'journal.log');
      const journal = await Journal.open(path);
      await journal.append({ n: 1 });
      await journal.append({ n: 2 });
      await journal.close();
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace('{"n":1}', '{"n":9}'));
      assert.throws(() => replayJournal(path), JournalCorruptError);
    });
  });
});
