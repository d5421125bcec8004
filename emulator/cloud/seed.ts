// Seed data for demos and tests: two work/school directories, users with each role, tenants with CAs, hubs, a
// product with the default device groups, a few error-report events, and a few unclaimed "attached board" device
// IDs. Fixed IDs so tests and docs can name them. Written through the journal once (a `seeded` record marks it,
// `seededFleet` the product part and `seededInsights` the events, which came later and are added to state folders
// seeded before them), so a restart does not seed again. The bulk devices for scale tests spread over 50 device
// groups of a product of their own, in one record however many there are.
import { randomBytes } from 'node:crypto';
import { DEFAULT_DEVICE_GROUPS, OsFeedType, UpdatePolicy, type InsightEvent } from './fleet-model';
import type { JournalRecord, RoleName } from './model';
import { completedOperation, OperationType, PERSONAL_ACCOUNT_DIRECTORY_ID } from './model';
import type { Store } from './store';
import { sphereCas } from './sphere-ca-chain';
import { createTenantCa } from './tenant-ca';
import { applyCatalogSeed } from './arm-sphere/seed-catalogs';

const CONTOSO = 'c0de0001-5e7d-4d2b-9a51-1f7c2b3d4e01';
const FABRIKAM = 'fab00002-6c8e-4e3c-8b62-2a8d3c4e5f02';
const CONTOSO_TENANT = '768c2cd6-1bf0-4521-9f53-084a331d81cb';

export const SEED = {
  directories: {
    contoso: { id: CONTOSO, name: 'Contoso' },
    fabrikam: { id: FABRIKAM, name: 'Fabrikam' },
    personal: { id: PERSONAL_ACCOUNT_DIRECTORY_ID, name: 'Microsoft Services' },
  },
  users: {
    /** Administrator of the Contoso tenant (and of Contoso Fleet, where bulk devices go). */
    avery: { oid: 'a0e00001-0000-4000-8000-000000000001', email: 'avery@contoso.com', displayName: 'Avery Howard', directoryId: CONTOSO },
    /** Contributor in the Contoso tenant. */
    parker: { oid: 'a0e00001-0000-4000-8000-000000000002', email: 'parker@contoso.com', displayName: 'Parker Jones', directoryId: CONTOSO },
    /** Reader in the Contoso tenant. */
    riley: { oid: 'a0e00001-0000-4000-8000-000000000003', email: 'riley@contoso.com', displayName: 'Riley Chen', directoryId: CONTOSO },
    /** Registered, no role anywhere. */
    morgan: { oid: 'a0e00001-0000-4000-8000-000000000004', email: 'morgan@contoso.com', displayName: 'Morgan Lee', directoryId: CONTOSO },
    /** Exists in the directory but never registered with Azure Sphere. */
    quinn: { oid: 'a0e00001-0000-4000-8000-000000000005', email: 'quinn@contoso.com', displayName: 'Quinn Patel', directoryId: CONTOSO },
    /** Administrator of the Fabrikam tenant. */
    jordan: { oid: 'b0e00002-0000-4000-8000-000000000001', email: 'jordan@fabrikam.com', displayName: 'Jordan Silva', directoryId: FABRIKAM },
    /** A personal Microsoft account. */
    sam: { oid: '00000000-0000-0000-5a3b-9c1d2e3f4a5b', email: 'sam@outlook.com', displayName: 'Sam Rivera', directoryId: PERSONAL_ACCOUNT_DIRECTORY_ID },
  },
  tenants: {
    contoso: { id: CONTOSO_TENANT, name: 'Contoso Tenant', directoryId: CONTOSO },
    contosoFleet: { id: '768c2cd6-1bf0-4521-9f53-084a331d81cc', name: 'Contoso Fleet', directoryId: CONTOSO },
    fabrikam: { id: '5a7d2e10-8c3b-4f6a-9e21-7b4c0d9f1a22', name: 'Fabrikam Tenant', directoryId: FABRIKAM },
  },
  hubs: {
    contosoHub: { subscriptionId: 'd0b00001-aaaa-4bbb-8ccc-000000000001', resourceGroup: 'sphere-demo', kind: 'IotHubs' as const, name: 'contoso-hub', location: 'westeurope' },
    contosoDps: { subscriptionId: 'd0b00001-aaaa-4bbb-8ccc-000000000001', resourceGroup: 'sphere-demo', kind: 'provisioningServices' as const, name: 'contoso-dps', location: 'westeurope' },
    fabrikamHub: { subscriptionId: 'd0b00002-aaaa-4bbb-8ccc-000000000002', resourceGroup: 'fabrikam-iot', kind: 'IotHubs' as const, name: 'fabrikam-hub', location: 'eastus' },
  },
  subscriptions: {
    contoso: { id: 'd0b00001-aaaa-4bbb-8ccc-000000000001', displayName: 'Contoso IoT', directoryId: CONTOSO },
    fabrikam: { id: 'd0b00002-aaaa-4bbb-8ccc-000000000002', displayName: 'Fabrikam IoT', directoryId: FABRIKAM },
  },
  /** Unclaimed boards a client may present (any other well-formed 128-hex ID is accepted too). */
  availableDeviceIds: ['A1'.repeat(64), 'B2'.repeat(64), 'C3'.repeat(64)],
  /** Already claimed into the Contoso tenant (in no product: move them with PUT …/devices/{id}/devicegroup). */
  claimedDeviceIds: ['D4'.repeat(64), 'E5'.repeat(64)],
  /** In the Contoso tenant, with the five default device groups (same order as DEFAULT_DEVICE_GROUPS). */
  products: {
    thermostat: {
      id: '7e3a0001-1c2d-4e5f-8a9b-0c1d2e3f4a01',
      name: 'Contoso Thermostat',
      description: 'Wall thermostat with Wi-Fi',
      tenantId: CONTOSO_TENANT,
      groups: {
        development: '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a01',
        fieldTest: '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a02',
        production: '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a03',
        productionOsEvaluation: '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a04',
        fieldTestOsEvaluation: '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a05',
      },
    },
  },
  /**
   * Made with the bulk devices (`bulkDevices` / `--bulk-devices N`) in Contoso Fleet: its 50 device groups "Site 01" …
   * "Site 50" share the devices round-robin in claim order (device i is in group i mod 50).
   */
  bulkFleet: {
    product: { id: '7e3b0001-1c2d-4e5f-8a9b-0c1d2e3f4a01', name: 'Contoso Sensor', description: 'Environment sensor deployed at every site' },
    groupCount: 50,
    /** The ID of group `index` (0-based): 7e3b0002-0000-4000-8000-0000000000<index+1, 2 hex digits>. */
    groupId: (index: number): string => `7e3b0002-0000-4000-8000-0000000000${(index + 1).toString(16).padStart(2, '0')}`,
    groupName: (index: number): string => `Site ${String(index + 1).padStart(2, '0')}`,
    /** The catalog Contoso Fleet is integrated as (resource group `sphere-catalogs`), so the same fleet is reached over ARM too. */
    catalogName: 'contoso-fleet-catalog',
  },
  /**
   * Azure Sphere (Integrated) catalogs (ARM, arm-sphere/seed-catalogs.ts), in subscription Contoso IoT, resource group
   * `sphere-catalogs`: `contoso-catalog` integrated from the Contoso Tenant (same fleet and CA), `contoso-lab` with a
   * fleet and CA of its own. Roles: avery Owner (resource group), parker Contributor, riley Reader (each catalog).
   * The Fabrikam subscription has the Microsoft.AzureSphere provider not registered.
   */
  catalogs: {
    subscriptionId: 'd0b00001-aaaa-4bbb-8ccc-000000000001',
    resourceGroup: 'sphere-catalogs',
    contoso: { name: 'contoso-catalog', tenantId: CONTOSO_TENANT, linked: true },
    lab: { name: 'contoso-lab', tenantId: 'c47a1ab0-5e7d-4d2b-9a51-1f7c2b3d4e10', linked: false },
  },
} as const;

export type SeedInfo = typeof SEED;

const ROLES: [keyof typeof SEED.tenants, keyof typeof SEED.users, RoleName][] = [
  ['contoso', 'parker', 'Contributor'],
  ['contoso', 'riley', 'Reader'],
];

export async function applySeed(store: Store): Promise<void> {
  if (!store.state.seeded) await applyBaseSeed(store);
  if (!store.state.seededFleet) await applyFleetSeed(store);
  if (!store.state.fleet.seededInsights) await applyInsightSeed(store);
  if (!store.state.sphere.seeded) await applyCatalogSeed(store, SEED);
}

async function applyBaseSeed(store: Store): Promise<void> {
  const records: JournalRecord[] = [];
  for (const d of [SEED.directories.contoso, SEED.directories.fabrikam]) records.push({ t: 'directory', directory: { ...d, kind: 'work' } });
  for (const u of Object.values(SEED.users)) {
    records.push({ t: 'user', user: { ...u } });
    if (u.email !== SEED.users.quinn.email) records.push({ t: 'registered', oid: u.oid });
  }
  const creators: Record<keyof typeof SEED.tenants, string> = { contoso: SEED.users.avery.oid, contosoFleet: SEED.users.avery.oid, fabrikam: SEED.users.jordan.oid };
  const issuers = await sphereCas(store);
  for (const [key, t] of Object.entries(SEED.tenants) as [keyof typeof SEED.tenants, (typeof SEED.tenants)[keyof typeof SEED.tenants]][]) {
    const operation = completedOperation(OperationType.TenantCreation, t.id, `/v2/tenants/${t.id}`);
    records.push({ t: 'tenant', ...t, createdByOid: creators[key], createdFromDeviceId: null, createdUtc: operation.CreatedDateUTC, ca: await createTenantCa(t.id, issuers), operation });
  }
  for (const [tenant, user, role] of ROLES) records.push({ t: 'role', tenantId: SEED.tenants[tenant].id, oid: SEED.users[user].oid, role, grant: true });
  for (const id of SEED.claimedDeviceIds) records.push({ t: 'claim', tenantId: SEED.tenants.contoso.id, deviceId: id, operation: null });
  for (const s of Object.values(SEED.subscriptions)) records.push({ t: 'subscription', subscription: { ...s } });
  for (const h of Object.values(SEED.hubs)) records.push({ t: 'hub', hub: { ...h } });
  records.push({ t: 'seeded' });
  await Promise.all(records.map((r) => store.commit(r)));
}

async function applyFleetSeed(store: Store): Promise<void> {
  const { groups, ...product } = SEED.products.thermostat;
  const records: JournalRecord[] = [{ t: 'product', product: { ...product } }];
  const ids = Object.values(groups);
  if (ids.length !== DEFAULT_DEVICE_GROUPS.length) throw new Error('the seed names one ID per default device group');
  DEFAULT_DEVICE_GROUPS.forEach((template, i) => records.push({ t: 'deviceGroup', group: { ...template, id: ids[i]!, tenantId: product.tenantId, productId: product.id } }));
  records.push({ t: 'seededFleet' });
  await Promise.all(records.map((r) => store.commit(r)));
}

/**
 * A few days of error reports for the seeded Contoso devices, as "Collect and interpret error data"
 * (learn.microsoft.com/azure-sphere/deployment/interpret-error-data) describes a report's lines: planned events (updates)
 * and unplanned ones (app crashes and exits, with exit code and signal in the description), counted over a period.
 */
function seededEvents(now: number): InsightEvent[] {
  const [first, second] = SEED.claimedDeviceIds;
  const day = 86_400;
  const at = (daysAgo: number) => Math.floor(now / 1000) - daysAgo * day;
  const app = 'component_id=25025d2c-66da-4448-bae1-ac26fcdd3627, image_id=a43206c8-f384-44a2-84ad-c86ce2937a3e';
  // Oldest first, as they were reported.
  return [
    { deviceId: first, eventType: 'Unplanned', eventClass: 'Application', eventCategory: 'AppCrash', description: `${app}, exit_code=0, signal_status=11, signal_code=1`, eventCount: 3, startTimestampInUnix: at(6), endTimestampInUnix: at(5) },
    { deviceId: first, eventType: 'Planned', eventClass: 'OS', eventCategory: 'OSUpdate', description: 'OS updated to "25.02"', eventCount: 1, startTimestampInUnix: at(4), endTimestampInUnix: at(4) },
    { deviceId: second, eventType: 'Planned', eventClass: 'Application', eventCategory: 'AppUpdate', description: app, eventCount: 1, startTimestampInUnix: at(2), endTimestampInUnix: at(2) },
    { deviceId: second, eventType: 'Unplanned', eventClass: 'Application', eventCategory: 'AppExit', description: `${app}, exit_code=3, signal_status=0, signal_code=0`, eventCount: 12, startTimestampInUnix: at(3), endTimestampInUnix: at(1) },
  ];
}

async function applyInsightSeed(store: Store): Promise<void> {
  await Promise.all([store.commit({ t: 'deviceEvents', tenantId: SEED.tenants.contoso.id, events: seededEvents(Date.now()) }), store.commit({ t: 'seededInsights' })]);
}

/**
 * Makes sure the Contoso Fleet tenant holds at least `count` claimed devices (random IDs), in one record, and that
 * its devices not yet in a group are spread over the 50 groups of SEED.bulkFleet (made when missing), in one more.
 */
export async function ensureBulkDevices(store: Store, count: number): Promise<void> {
  const fleet = store.state.tenants.get(SEED.tenants.contosoFleet.id);
  if (!fleet) throw new Error('bulk devices need the seed data (--seed)');
  const missing = count - fleet.deviceOrder.length;
  if (missing > 0) {
    const deviceIds = Array.from({ length: missing }, () => randomBytes(64).toString('hex').toUpperCase());
    await store.commit({ t: 'bulkClaim', tenantId: fleet.id, deviceIds });
  }
  await ensureBulkFleet(store, fleet.id);
  const order = fleet.deviceOrder;
  const placement = store.state.fleet.placement;
  // The devices claimed after the last one in a group: the new bulk devices (all of them on a fresh folder).
  let from = order.length;
  while (from > 0 && !placement.has(order[from - 1]!)) from--;
  if (from === order.length) return;
  const { groupCount, groupId } = SEED.bulkFleet;
  await store.commit({ t: 'bulkPlacement', tenantId: fleet.id, groupIds: Array.from({ length: groupCount }, (_, i) => groupId(i)), from, count: order.length - from });
}

async function ensureBulkFleet(store: Store, tenantId: string): Promise<void> {
  const { product, groupCount, groupId, groupName, catalogName } = SEED.bulkFleet;
  const records: JournalRecord[] = [];
  const { subscriptionId, resourceGroup } = SEED.catalogs;
  if (!store.state.sphere.catalog(subscriptionId, resourceGroup, catalogName)) {
    const at = new Date().toISOString();
    const systemData = { createdBy: SEED.users.avery.email, createdByType: 'User', createdAt: at, lastModifiedBy: SEED.users.avery.email, lastModifiedByType: 'User', lastModifiedAt: at } as const;
    records.push({ t: 'sphereCatalog', catalog: { subscriptionId, resourceGroup, name: catalogName, location: 'global', tags: {}, tenantId, linked: true, systemData } });
  }
  if (!store.state.fleet.products.has(product.id)) records.push({ t: 'product', product: { ...product, tenantId } });
  for (let i = 0; i < groupCount; i++) {
    if (store.state.fleet.groups.has(groupId(i))) continue;
    records.push({
      t: 'deviceGroup',
      group: { id: groupId(i), tenantId, productId: product.id, name: groupName(i), description: `Sensors at site ${i + 1}`, osFeedType: OsFeedType.Retail, updatePolicy: UpdatePolicy.UpdateAll, allowCrashDumpsCollection: false },
    });
  }
  // Committed in order (a group's record needs its product's before it); written together.
  await Promise.all(records.map((r) => store.commit(r)));
}
