// A catalog's fleet (Azure Sphere Integrated, over Azure Resource Manager) in the real extension host, against the
// cloud emulator's ARM side: the same commands and tree as a tenant's — products with their default groups, group
// settings, an image uploaded and deployed, a device moved — each an ARM long-running operation; resource names
// checked against the spec's patterns before anything is sent, a rename refused (names are resource paths), a 429
// waited out with progress, a failed long-running operation's reason, the catalog's devices and error report, a Reader
// refused with ARM's words. What lands is read independently over raw HTTPS.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { productionPackage } from '../helpers/app-packages';
import { groupNodeId, productsNodeId, scopeDevicesNodeId, scopeNodeId } from '../../src/tree/accounts/fleet-nodes';
import { eventually, extensionApi, type ExtensionApi } from './devices-harness';
import { callService, emulatedCloud, signInAs, type EmulatedCloud } from './person';

const AVERY = SEED.users.avery.email;
const RILEY = SEED.users.riley.email;
const { subscriptionId, resourceGroup, lab } = SEED.catalogs;
const LAB_ID = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${lab.name}`;
const LAB = { id: LAB_ID, kind: 'catalog' as const };
const APP = '4a1d3c5e-7f90-4b2c-8d3e-5f6a7b8c9d01';
const VIEW = 'sphereExplorer.accounts';
const API = 'api-version=2024-04-01';

interface ArmList<T> { value: T[] }
interface ArmProduct { id: string; name: string; properties: { description?: string } }
interface ArmGroup { id: string; name: string; properties: { osFeedType?: string; updatePolicy?: string; allowCrashDumpsCollection?: string; hasDeployment?: boolean } }

describe('A catalog’s fleet over Azure Resource Manager: the same commands and tree as a tenant’s', function () {
  this.timeout(180_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let dir: string;
  const person = () => cloud.person;
  const takeErrors = () => person().errors.splice(0);
  const arm = <T>(path: string, as = AVERY) => callService(cloud.emu, as, 'GET', `${LAB_ID}${path}${path.includes('?') ? '&' : '?'}${API}`) as Promise<T>;
  const products = async () => (await arm<ArmList<ArmProduct>>('/products')).value;
  const groups = async (product: string) => (await arm<ArmList<ArmGroup>>(`/products/${encodeURIComponent(product)}/deviceGroups`)).value;
  const productId = (name: string) => `${LAB_ID}/products/${name}`;
  const groupId = (product: string, group: string) => `${productId(product)}/deviceGroups/${group}`;

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    cloud.emu.testHooks.setOperationDelay(300);
    dir = mkdtempSync(join(tmpdir(), 'sphere-catalog-fleet-'));
    await signInAs(person(), AVERY, SEED.tenants.contoso.name);
  });
  after(async () => {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a catalog’s Products and Images, and creates a product with the default groups through ARM', async () => {
    const empty = await eventually(
      async () => (await api.renderView(VIEW, 2)).some((l) => l.includes('contoso-lab')) ? api.renderView(VIEW, 1, scopeNodeId(LAB)) : [],
      (l) => l.some((x) => x.includes('Products')),
      'the catalog’s fleet',
    );
    assert.deepEqual(empty, ['$(symbol-class) Products', '$(circuit-board) Devices — 0 devices claimed', '$(package) Images']);
    assert.deepEqual(await api.renderView(VIEW, 1, productsNodeId(LAB)), ['$(add) No products yet — Create Product…']);
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: LAB_ID, name: 'Lab Sensors', description: 'Sensors in the lab', createDefaultGroups: true });
    assert.deepEqual(takeErrors(), []);
    assert.deepEqual((await products()).map((p) => [p.name, p.properties.description]), [['Lab Sensors', 'Sensors in the lab']]);
    assert.deepEqual((await groups('Lab Sensors')).map((g) => g.name).sort(), ['Development', 'Field Test', 'Field Test OS Evaluation', 'Production', 'Production OS Evaluation']);
    assert.ok(person().progress.some((p) => p === 'Creating product "Lab Sensors" in contoso-lab: in progress on the service…'), person().progress.join(' | '));
    const lines = await eventually(() => api.renderView(VIEW, 3, productsNodeId(LAB)), (l) => l.some((x) => x.includes('Lab Sensors — 0 devices · Sensors in the lab')), 'the product shown');
    assert.ok(lines.some((l) => /\$\(server-environment\) Development — 0 devices · Retail OS · no app updates/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /\$\(server-environment\) Production OS Evaluation — 0 devices · Retail Evaluation OS · all updates/.test(l)), lines.join('\n'));
  });

  it('refuses resource names the spec does not allow, and a rename, before anything is sent', async () => {
    for (const name of ['Lab/Sensors', 'ab', 'Lab-2', '.default']) {
      await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: LAB_ID, name, createDefaultGroups: false });
    }
    const errors = takeErrors();
    assert.match(errors[0] ?? '', /The product name "Lab\/Sensors" must be 3–50 letters, digits, '_' or spaces.*it contains "\/"/);
    assert.match(errors[1] ?? '', /The product name "ab" must be 3–50 .*it is 2 characters long/);
    assert.match(errors[2] ?? '', /The product name "Lab-2" must be .*it contains "-"/);
    assert.match(errors[3] ?? '', /"\.default" is a reserved name; a product cannot be created with it/);
    assert.deepEqual((await products()).map((p) => p.name), ['Lab Sensors']);
    // Typed into the box, the same rule speaks under what is typed.
    person().willType('Lab#2');
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: LAB_ID });
    assert.match(person().validation.at(-1) ?? '', /The product name "Lab#2" must be 3–50 .*it contains "#"/);
    await vscode.commands.executeCommand('sphereExplorer.updateProduct', { tenantId: LAB_ID, productId: productId('Lab Sensors'), name: 'Lab Sensors 2' });
    assert.match(takeErrors()[0] ?? '', /A catalog's product is named by its resource path, so "Lab Sensors" cannot be renamed.*Nothing was changed\./);
    await vscode.commands.executeCommand('sphereExplorer.updateDeviceGroup', { tenantId: LAB_ID, productId: productId('Lab Sensors'), groupId: groupId('Lab Sensors', 'Field Test'), name: 'Field' });
    assert.match(takeErrors()[0] ?? '', /A catalog's device group is named by its resource path, so "Field Test" cannot be renamed/);
    assert.deepEqual((await products()).map((p) => p.name), ['Lab Sensors']);
  });

  it('changes group settings and the product’s description; a 429 is waited out with progress', async () => {
    await vscode.commands.executeCommand('sphereExplorer.updateProduct', { tenantId: LAB_ID, productId: productId('Lab Sensors'), description: 'Lab sensors, second floor' });
    assert.deepEqual(takeErrors(), []);
    assert.equal((await products())[0]?.properties.description, 'Lab sensors, second floor');
    cloud.emu.testHooks.throttleNext(1, 1, `${LAB_ID}/products/Lab%20Sensors/deviceGroups/Field%20Test`);
    await vscode.commands.executeCommand('sphereExplorer.updateDeviceGroup', { tenantId: LAB_ID, productId: productId('Lab Sensors'), groupId: groupId('Lab Sensors', 'Field Test'), allowCrashDumps: true });
    await vscode.commands.executeCommand('sphereExplorer.updateDeviceGroup', { tenantId: LAB_ID, productId: productId('Lab Sensors'), groupId: groupId('Lab Sensors', 'Field Test'), osFeed: 'RetailEval' });
    assert.deepEqual(takeErrors(), []);
    assert.ok(person().progress.some((p) => /^Changing device group "Field Test": the service is busy \(429\): trying again in 1 s \(attempt 1\)…$/.test(p)), person().progress.join(' | '));
    const field = (await groups('Lab Sensors')).find((g) => g.name === 'Field Test')!;
    assert.equal(field.properties.allowCrashDumpsCollection, 'Enabled');
    assert.equal(field.properties.osFeedType, 'RetailEval');
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    await eventually(() => api.renderView(VIEW, 3, productsNodeId(LAB)), (l) => l.some((x) => /Field Test — 0 devices · Retail Evaluation OS · all updates · crash dumps on/.test(x)), 'the new settings shown');
  });

  it('uploads an image to the catalog, deploys it to a group and shows the deployment', async () => {
    const file = join(dir, 'sensor.imagepackage');
    writeFileSync(file, productionPackage(APP, { name: 'SensorApp' }));
    const image = await vscode.commands.executeCommand<{ id: string; name: string }>('sphereExplorer.uploadImagePackage', { tenantId: LAB_ID, packagePath: file });
    assert.deepEqual(takeErrors(), []);
    assert.equal(image.name, 'SensorApp');
    assert.ok(person().info.some((m) => m.startsWith(`Uploaded image "SensorApp" (Applications) to contoso-lab: image ID ${image.id}`)), person().info.join(' | '));
    const listed = (await arm<ArmList<{ name: string }>>('/images')).value.map((i) => i.name.toLowerCase());
    assert.ok(listed.includes(image.id), listed.join(', '));
    const field = groupId('Lab Sensors', 'Field Test');
    await vscode.commands.executeCommand('sphereExplorer.createDeployment', { tenantId: LAB_ID, productId: productId('Lab Sensors'), groupId: field, imageIds: [image.id] });
    assert.deepEqual(takeErrors(), []);
    const deployments = (await arm<ArmList<{ properties: { deployedImages?: { id: string }[] } }>>('/products/Lab%20Sensors/deviceGroups/Field%20Test/deployments')).value;
    assert.equal(deployments.length, 1);
    assert.ok(deployments[0]!.properties.deployedImages?.[0]?.id.toLowerCase().endsWith(`/images/${image.id}`), JSON.stringify(deployments));
    await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
    await api.renderView(VIEW, 3, productsNodeId(LAB));
    const rows = await eventually(() => api.renderView(VIEW, 2, groupNodeId(LAB, productId('Lab Sensors'), field)), (l) => l.some((x) => x.includes('SensorApp')), 'the deployment shown');
    assert.ok(rows.some((l) => /\$\(pass-filled\) SensorApp — current · /.test(l)), rows.join('\n'));
  });

  it('moves a claimed device between the product’s groups, and refuses a group of another product before sending', async () => {
    const deviceId = cloud.emu.seed.availableDeviceIds[2]!.toUpperCase();
    await callService(cloud.emu, AVERY, 'PUT', `${groupId('Lab Sensors', 'Development').replace(/ /g, '%20')}/devices/${deviceId}?${API}`, {});
    await vscode.commands.executeCommand('sphereExplorer.moveDeviceToGroup', { tenantId: LAB_ID, device: { DeviceId: deviceId, DeviceGroupId: groupId('Lab Sensors', 'Development') }, toGroupId: groupId('Lab Sensors', 'Field Test') });
    assert.deepEqual(takeErrors(), []);
    const inField = (await arm<ArmList<{ name: string }>>('/products/Lab%20Sensors/deviceGroups/Field%20Test/devices')).value.map((d) => d.name.toUpperCase());
    assert.deepEqual(inField, [deviceId]);
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: LAB_ID, name: 'Gateways', createDefaultGroups: true });
    await vscode.commands.executeCommand('sphereExplorer.moveDeviceToGroup', { tenantId: LAB_ID, device: { DeviceId: deviceId }, toGroupId: groupId('Gateways', 'Production') });
    assert.match(takeErrors()[0] ?? '', /is in product "Lab Sensors", and device group "Production" belongs to product "Gateways"; a device moves only between the groups of its product/);
    await vscode.commands.executeCommand('sphereExplorer.deleteDeviceGroup', { tenantId: LAB_ID, productId: productId('Lab Sensors'), groupId: groupId('Lab Sensors', 'Field Test') });
    assert.match(takeErrors()[0] ?? '', /Device group "Field Test" still has 1 device; move it to another group first\. Nothing was deleted\./);
    const rows = await eventually(
      async () => {
        await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
        await api.renderView(VIEW, 3, productsNodeId(LAB));
        return api.renderView(VIEW, 1, groupNodeId(LAB, productId('Lab Sensors'), groupId('Lab Sensors', 'Field Test')));
      },
      (l) => l.some((x) => x.includes(`${deviceId.slice(0, 12)}…`)),
      'the device under Field Test',
    );
    assert.equal(rows[0], '$(rocket) Deployments — current deployment');
    // All of the catalog's devices, wherever they are, under its Devices.
    await api.renderView(VIEW, 1, scopeNodeId(LAB));
    const all = await api.renderView(VIEW, 1, scopeDevicesNodeId(LAB));
    assert.deepEqual(all, [`$(circuit-board) ${deviceId.slice(0, 12)}… — Lab Sensors › Field Test`]);
  });

  it('an operation that fails on the service says the service’s reason, and nothing is lost', async () => {
    // Someone else claims a device into the group once the service has taken the delete (it checks again as the
    // operation completes, two seconds later here): the long-running delete fails, and its reason is what the person reads.
    const group = groupId('Gateways', 'Field Test');
    const late = cloud.emu.seed.availableDeviceIds[1]!.toUpperCase();
    let claim: Promise<unknown> | undefined;
    person().willAnswer('Delete');
    person().onProgress = (line) => {
      if (line.startsWith('Deleting device group "Field Test": in progress on the service')) claim ??= callService(cloud.emu, AVERY, 'PUT', `${group.replace(/ /g, '%20')}/devices/${late}?${API}`, {});
    };
    cloud.emu.testHooks.setOperationDelay(2000);
    try {
      await vscode.commands.executeCommand('sphereExplorer.deleteDeviceGroup', { tenantId: LAB_ID, productId: productId('Gateways'), groupId: group });
      await claim;
    } finally {
      person().onProgress = undefined;
      cloud.emu.testHooks.setOperationDelay(300);
    }
    assert.ok(claim, 'the delete was in progress on the service');
    assert.match(takeErrors()[0] ?? '', /Deleting device group "Gateways\/Field Test" failed: Device group 'Field Test' cannot be deleted: it holds 1 device.*\(Conflict\)\./);
    assert.ok((await groups('Gateways')).some((g) => g.name === 'Field Test'), 'the group is still there');
    const kept = (await arm<ArmList<{ name: string }>>('/products/Gateways/deviceGroups/Field%20Test/devices')).value.map((d) => d.name.toUpperCase());
    assert.deepEqual(kept, [late]);
  });

  it('saves a catalog’s error report as CSV, the same events as its legacy tenant’s', async () => {
    const contosoCatalog = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.AzureSphere/catalogs/${SEED.catalogs.contoso.name}`;
    const csv = join(dir, 'report.csv');
    person().saveAs.push(csv);
    await vscode.commands.executeCommand('sphereExplorer.downloadErrorReport', { tenantId: contosoCatalog });
    assert.deepEqual(takeErrors(), []);
    const lines = readFileSync(csv, 'utf8').split('\r\n');
    assert.equal(lines[0], 'Device ID,Event Type,Event Class,Event Category,Event Count,Description,Start Time (UTC),End Time (UTC)');
    const legacy = (await callService(cloud.emu, AVERY, 'GET', `/v2/tenants/${SEED.tenants.contoso.id}/getDeviceInsights`)) as { Items: { DeviceId: string }[] };
    assert.equal(lines.length - 2, legacy.Items.length, 'a header, a row per event, the final line break');
    assert.deepEqual(lines.slice(1, -1).map((l) => l.split(',')[0]).sort(), legacy.Items.map((e) => e.DeviceId).sort());
  });

  it('refuses a Reader’s write with Azure’s words, and what only tenants have with where to do it', async () => {
    await signInAs(person(), RILEY, SEED.tenants.contoso.name);
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: LAB_ID, name: 'Readers Product', createDefaultGroups: false });
    assert.match(takeErrors()[0] ?? '', /does not have authorization to perform action 'Microsoft\.AzureSphere\/catalogs\/products\/write'/);
    assert.deepEqual((await products()).map((p) => p.name).sort(), ['Gateways', 'Lab Sensors']);
    await vscode.commands.executeCommand('sphereExplorer.addUserRole', { tenantId: LAB_ID, email: SEED.users.morgan.email, role: 'Reader' });
    assert.match(takeErrors()[0] ?? '', /Adding a user role is for Azure Sphere tenants\. contoso-lab is a catalog, an Azure resource: who may do what there is Azure role assignments \(Access control \(IAM\)/);
  });
});
