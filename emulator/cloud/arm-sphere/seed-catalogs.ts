// The seed's Azure Sphere (Integrated) part: in the Contoso subscription, resource group `sphere-catalogs`, the catalog
// `contoso-catalog` integrated from the Contoso Tenant (its fleet and CA are that tenant's) and `contoso-lab`, a
// catalog of its own (a tenant with its own CA behind it, no legacy users); the Microsoft.AzureSphere provider
// registered in the Contoso subscription and not in the Fabrikam one (to show MissingSubscriptionRegistration);
// Azure roles: avery Owner of the resource group, parker Contributor and riley Reader of each Contoso catalog,
// jordan Owner of the Fabrikam subscription (so he can register the provider). Written once, marked by
// `seededCatalogs`, so a state folder seeded before catalogs existed gets them on its next seeded start.
import { completedOperation, OperationType, type JournalRecord } from '../model';
import type { SeedInfo } from '../seed';
import { sphereCas } from '../sphere-ca-chain';
import type { Store } from '../store';
import { createTenantCa } from '../tenant-ca';
import { catalogResourceId } from './arm-resources';
import { CATALOG_TENANT_CREATOR } from './catalog-routes';
import type { SystemData } from './sphere-catalogs';

export async function applyCatalogSeed(store: Store, seed: SeedInfo): Promise<void> {
  const { catalogs, subscriptions, users } = seed;
  const sub = subscriptions.contoso;
  const records: JournalRecord[] = [];
  const at = new Date().toISOString();
  const systemData: SystemData = { createdBy: users.avery.email, createdByType: 'User', createdAt: at, lastModifiedBy: users.avery.email, lastModifiedByType: 'User', lastModifiedAt: at };
  if (!store.state.tenants.has(catalogs.lab.tenantId)) {
    const operation = completedOperation(OperationType.TenantCreation, catalogs.lab.tenantId, `/v2/tenants/${catalogs.lab.tenantId}`);
    const ca = await createTenantCa(catalogs.lab.tenantId, await sphereCas(store));
    records.push({ t: 'tenant', id: catalogs.lab.tenantId, name: catalogs.lab.name, directoryId: sub.directoryId, createdByOid: CATALOG_TENANT_CREATOR, createdFromDeviceId: null, createdUtc: at, ca, operation });
  }
  for (const c of [catalogs.contoso, catalogs.lab]) {
    records.push({ t: 'sphereCatalog', catalog: { subscriptionId: sub.id, resourceGroup: catalogs.resourceGroup, name: c.name, location: 'global', tags: {}, tenantId: c.tenantId, linked: c.linked, systemData } });
  }
  records.push({ t: 'sphereProvider', subscriptionId: sub.id, registrationState: 'Registered' });
  records.push({ t: 'sphereProvider', subscriptionId: subscriptions.fabrikam.id, registrationState: 'NotRegistered' });
  records.push({ t: 'sphereRole', scope: `/subscriptions/${sub.id}/resourceGroups/${catalogs.resourceGroup}`, oid: users.avery.oid, role: 'Owner', grant: true });
  for (const c of [catalogs.contoso, catalogs.lab]) {
    const scope = catalogResourceId(sub.id, catalogs.resourceGroup, c.name);
    records.push({ t: 'sphereRole', scope, oid: users.parker.oid, role: 'Contributor', grant: true });
    records.push({ t: 'sphereRole', scope, oid: users.riley.oid, role: 'Reader', grant: true });
  }
  records.push({ t: 'sphereRole', scope: `/subscriptions/${subscriptions.fabrikam.id}`, oid: users.jordan.oid, role: 'Owner', grant: true });
  records.push({ t: 'seededCatalogs' });
  await Promise.all(records.map((r) => store.commit(r)));
}
