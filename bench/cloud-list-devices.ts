/**
 * Listing 10,000 claimed devices through SphereApiClient against the local cloud emulator over HTTPS
 * (`npx tsx bench/cloud-list-devices.ts`; about 15 s). All figures measured in this run:
 *  - time to the first page and to all pages, per page size (median of 5 runs);
 *  - the client's cost as a ratio to a bare node:https loop fetching the same pages with the same token and a
 *    keep-alive agent (no token cache lookup, retry policy, validation or error mapping) — the client's overhead;
 *  - first page as a share of the full listing (what a tree view waits for before it can show something);
 *  - a cold first page: a new engine restoring the session from the SecretStore and a new connection (what the
 *    device tree costs right after the editor starts), against the warm first page.
 * The emulator runs in this same process, so server and client share one core: absolute times are an upper bound.
 */
import * as https from 'node:https';
import { HttpsTransport } from '../src/cloud/https-transport';
import { SphereApiClient } from '../src/cloud/sphere-api-client';
import { InMemorySecretStore } from '../src/cloud/secret-store';
import { engineFor, startEmulator, type EmulatorFixture } from '../test/helpers/cloud-harness';

const DEVICES = 10_000;
const RUNS = 5;
const PAGE_SIZES = [100, 1000];

interface Timing {
  firstMs: number;
  allMs: number;
  pages: number;
  items: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function viaClient(api: SphereApiClient, tenantId: string, pageSize: number): Promise<Timing> {
  const start = performance.now();
  let firstMs = 0;
  let pages = 0;
  let items = 0;
  for await (const page of api.listDevicePages(tenantId, { maxPageSize: pageSize })) {
    if (pages === 0) firstMs = performance.now() - start;
    pages++;
    items += page.items.length;
  }
  return { firstMs, allMs: performance.now() - start, pages, items };
}

function getJson(agent: https.Agent, url: string, headers: Record<string, string>): Promise<{ Items: unknown[]; ContinuationToken: string | null }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function viaBareHttps(agent: https.Agent, url: string, token: string, pageSize: number): Promise<Timing> {
  const start = performance.now();
  let firstMs = 0;
  let pages = 0;
  let items = 0;
  let continuation: string | null = null;
  do {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    if (continuation) headers['sphere-continuation'] = continuation;
    const page = await getJson(agent, `${url}?maxPageSize=${pageSize}`, headers);
    if (pages === 0) firstMs = performance.now() - start;
    pages++;
    items += page.Items.length;
    continuation = page.ContinuationToken;
  } while (continuation);
  return { firstMs, allMs: performance.now() - start, pages, items };
}

/** First page of 100 from a brand-new engine (session restored from `store`) over a brand-new connection. */
async function coldFirstPageMs(fx: EmulatorFixture, store: InMemorySecretStore, tenantId: string): Promise<number> {
  const start = performance.now();
  const engine = engineFor(fx, { secretStore: store });
  const transport = new HttpsTransport({ extraCaPem: fx.emu.caCertPem });
  try {
    const api = new SphereApiClient({ settings: fx.settings, tokens: engine, transport });
    await api.listDevicePages(tenantId, { maxPageSize: 100 }).next();
    return performance.now() - start;
  } finally {
    transport.close();
    engine.dispose();
  }
}

async function main(): Promise<void> {
  const fx = await startEmulator({ bulkDevices: DEVICES });
  const store = new InMemorySecretStore();
  const engine = engineFor(fx, { secretStore: store });
  const transport = new HttpsTransport({ extraCaPem: fx.emu.caCertPem });
  const agent = new https.Agent({ keepAlive: true, ca: fx.emu.caCertPem });
  try {
    await engine.signInInteractive({ loginHint: 'avery@contoso.com' });
    const api = new SphereApiClient({ settings: fx.settings, tokens: engine, transport });
    const tenantId = fx.emu.seed.tenants.contosoFleet.id;
    const token = (await engine.getAccessToken(engine.settings.apiScopes)).token;
    const url = `${fx.emu.url}/v2/tenants/${tenantId}/devices`;

    let warmFirst100 = 0;
    console.log(`| page size | pages | time to first page | time to all ${DEVICES} | first / all | client / bare https (all pages) | devices/s |`);
    console.log('|---|---|---|---|---|---|---|');
    for (const pageSize of PAGE_SIZES) {
      await viaClient(api, tenantId, pageSize); // warm-up: JIT, TLS session, token cache
      await viaBareHttps(agent, url, token, pageSize);
      const client: Timing[] = [];
      const bare: Timing[] = [];
      for (let i = 0; i < RUNS; i++) {
        client.push(await viaClient(api, tenantId, pageSize));
        bare.push(await viaBareHttps(agent, url, token, pageSize));
      }
      if (client.some((t) => t.items !== DEVICES) || bare.some((t) => t.items !== DEVICES)) throw new Error('a listing did not return every device');
      const first = median(client.map((t) => t.firstMs));
      if (pageSize === 100) warmFirst100 = first;
      const all = median(client.map((t) => t.allMs));
      const bareAll = median(bare.map((t) => t.allMs));
      console.log(
        `| ${pageSize} | ${client[0]!.pages} | ${first.toFixed(1)} ms | ${all.toFixed(0)} ms | ${(first / all).toFixed(3)} | ${(all / bareAll).toFixed(2)}× (bare ${bareAll.toFixed(0)} ms) | ${Math.round(DEVICES / (all / 1000))} |`,
      );
    }
    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) cold.push(await coldFirstPageMs(fx, store, tenantId));
    const coldMs = median(cold);
    console.log('');
    console.log('| first page of 100 | time | ratio to warm |');
    console.log('|---|---|---|');
    console.log(`| warm (engine and connection in use) | ${warmFirst100.toFixed(1)} ms | 1.00× |`);
    console.log(`| cold (new engine restored from the SecretStore: authority metadata GET, cache load, new TLS connection) | ${coldMs.toFixed(1)} ms | ${(coldMs / warmFirst100).toFixed(1)}× |`);
  } finally {
    agent.destroy();
    transport.close();
    engine.dispose();
    await fx.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
