/**
 * Cloud emulator write path (`npx tsx bench/cloud-emulator-claims.ts`; about 20 s). All figures measured in this run:
 *  - journal: 1,000 appends issued concurrently vs one after another — each is acknowledged only after fsync; the
 *    ratio is what group commit buys, and records per fsync shows why;
 *  - HTTPS: 1,000 concurrent device claims (64 keep-alive connections, real tokens, real TLS) vs 100 sequential
 *    claims: throughput ratio, and the concurrent run's records per fsync;
 *  - start-up: replaying a journal holding 10,000 bulk-claimed devices vs a freshly seeded one.
 * The emulator and the client share this process and the machine's cores: absolute times are upper bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../emulator/cloud/journal';
import { requestTokenByDeviceCode, startCloudEmulator, type CloudEmulator } from '../emulator/cloud/index';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cloud-emu-bench-'));
}

function deviceId(n: number): string {
  return n.toString(16).toUpperCase().padStart(8, '0').repeat(16);
}

async function journalFigures(): Promise<void> {
  const N = 1000;
  const dir = tempDir();
  try {
    const sequential = await Journal.open(join(dir, 'seq.log'));
    let t = performance.now();
    for (let i = 0; i < N; i++) await sequential.append({ t: 'claim', i });
    const seqMs = performance.now() - t;
    await sequential.close();
    const concurrent = await Journal.open(join(dir, 'con.log'));
    t = performance.now();
    await Promise.all(Array.from({ length: N }, (_, i) => concurrent.append({ t: 'claim', i })));
    const conMs = performance.now() - t;
    const { records, flushes } = concurrent.stats;
    await concurrent.close();
    console.log('| journal figure | measured |');
    console.log('|---|---|');
    console.log(`| ${N} sequential durable appends | ${seqMs.toFixed(0)} ms (${(seqMs / N).toFixed(2)} ms each = one fsync) |`);
    console.log(`| ${N} concurrent durable appends | ${conMs.toFixed(0)} ms, ${flushes} fsyncs (${(records / flushes).toFixed(0)} records per fsync) |`);
    console.log(`| group commit speed-up (sequential / concurrent) | ${(seqMs / conMs).toFixed(1)}× |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function claim(emulator: CloudEmulator, agent: Agent, token: string, tenantId: string, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${emulator.url}/v2/tenants/${tenantId}/devices/${id}/claim`, { method: 'PUT', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

async function httpFigures(): Promise<void> {
  const dir = tempDir();
  const emulator = await startCloudEmulator({ port: 0, stateDir: dir, seed: true });
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: emulator.caCertPem });
  try {
    const tenantId = emulator.seed.tenants.contoso.id;
    const token = String((await requestTokenByDeviceCode(emulator, { loginHint: 'avery@contoso.com', scope: 'https://sphere.azure.net/api/user_impersonation' })).access_token);
    await Promise.all(Array.from({ length: 64 }, (_, i) => claim(emulator, agent, token, tenantId, deviceId(0x900000 + i)))); // warm the connections
    const SEQ = 100;
    let t = performance.now();
    for (let i = 0; i < SEQ; i++) if ((await claim(emulator, agent, token, tenantId, deviceId(0x100000 + i))) !== 202) throw new Error('claim failed');
    const seqMs = performance.now() - t;
    const CON = 1000;
    const before = emulator.testHooks.journalStats();
    t = performance.now();
    const statuses = await Promise.all(Array.from({ length: CON }, (_, i) => claim(emulator, agent, token, tenantId, deviceId(0x200000 + i))));
    const conMs = performance.now() - t;
    if (statuses.some((s) => s !== 202)) throw new Error('a concurrent claim failed');
    const after = emulator.testHooks.journalStats();
    const seqRate = SEQ / (seqMs / 1000);
    const conRate = CON / (conMs / 1000);
    console.log('\n| HTTPS claim figure | measured |');
    console.log('|---|---|');
    console.log(`| ${SEQ} sequential claims | ${seqMs.toFixed(0)} ms, ${seqRate.toFixed(0)} claims/s |`);
    console.log(`| ${CON} concurrent claims (64 connections) | ${conMs.toFixed(0)} ms, ${conRate.toFixed(0)} claims/s, ${(after.records - before.records) / Math.max(1, after.flushes - before.flushes) | 0} records per fsync |`);
    console.log(`| concurrent / sequential throughput | ${(conRate / seqRate).toFixed(1)}× |`);
  } finally {
    agent.destroy();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startupFigures(): Promise<void> {
  const plain = tempDir();
  const bulk = tempDir();
  try {
    await (await startCloudEmulator({ port: 0, stateDir: plain, seed: true })).close();
    await (await startCloudEmulator({ port: 0, stateDir: bulk, seed: true, bulkDevices: 10_000 })).close();
    const time = async (stateDir: string) => {
      const t = performance.now();
      await (await startCloudEmulator({ port: 0, stateDir })).close();
      return performance.now() - t;
    };
    const plainMs = Math.min(await time(plain), await time(plain), await time(plain));
    const bulkMs = Math.min(await time(bulk), await time(bulk), await time(bulk));
    console.log('\n| start-up figure (best of 3) | measured |');
    console.log('|---|---|');
    console.log(`| restart, seeded state | ${plainMs.toFixed(0)} ms |`);
    console.log(`| restart, seeded + 10,000 claimed devices | ${bulkMs.toFixed(0)} ms (${(bulkMs / plainMs).toFixed(1)}× the seeded restart) |`);
  } finally {
    rmSync(plain, { recursive: true, force: true });
    rmSync(bulk, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await journalFigures();
  await httpFigures();
  await startupFigures();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
