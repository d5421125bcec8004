// The tenant's fleet in the real extension host, against the cloud emulator (Operations that take their time, as the
// service's do): products with their default groups under the tenant, bad names refused before anything is sent,
// renames and group settings, images uploaded (and a file that is no package refused), deployments (none, or of a
// wrong image type, refused), a Reader refused by the service, a group still holding devices refused with the count,
// moves between groups, roles added and removed, the tenant renamed, its error report saved as CSV. What lands is
// read independently over raw HTTPS.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SEED } from '../../emulator/cloud';
import { writeImagePackage } from '../../emulator/common/image-package-writer';
import { productionPackage } from '../helpers/app-packages';
import { groupNodeId } from '../../src/tree/accounts/fleet-nodes';
import { eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import { callService, emulatedCloud, signInAs, type EmulatedCloud } from './person';

const AVERY = SEED.users.avery.email;
const CONTOSO = SEED.tenants.contoso;
const APP = '4a1d3c5e-7f90-4b2c-8d3e-5f6a7b8c9d01';
const VIEW = 'sphereExplorer.accounts';

interface ProductV2 { Id: string; Name: string; Description: string | null }
interface GroupV2 { Id: string; Name: string; ProductId: string; OsFeedType: number; UpdatePolicy: number; AllowCrashDumpsCollection: boolean; CurrentDeployment: { DeployedImages: string[] } | null }

describe('The tenant’s fleet: products, groups, images, deployments, roles', function () {
  this.timeout(180_000);
  let cloud: EmulatedCloud;
  let api: ExtensionApi;
  let dir: string;
  const person = () => cloud.person;
  const takeErrors = () => person().errors.splice(0);
  const service = <T>(method: string, path: string, body?: unknown) => callService(cloud.emu, AVERY, method, `/v2/tenants/${CONTOSO.id}${path}`, body) as Promise<T>;
  const products = async () => ((await service<{ Items: ProductV2[] }>('GET', '/products')).Items);
  const product = async (name: string) => (await products()).find((p) => p.Name === name);
  const groups = async (productId: string) => (await service<{ Items: GroupV2[] }>('GET', `/products/${productId}/deviceGroups`)).Items;
  const view = () => api.renderView(VIEW, 7);

  before(async () => {
    api = await extensionApi();
    cloud = await emulatedCloud();
    cloud.emu.testHooks.setOperationDelay(300);
    dir = mkdtempSync(join(tmpdir(), 'sphere-fleet-'));
    await signInAs(person(), AVERY, CONTOSO.name);
  });
  after(async () => {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a product with the five default groups, shown under the tenant with settings and counts', async () => {
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: CONTOSO.id, name: 'Lab Sensors', description: 'Sensors in the lab', createDefaultGroups: true });
    assert.deepEqual(takeErrors(), []);
    const made = await product('Lab Sensors');
    assert.ok(made, 'the product exists on the service');
    assert.deepEqual((await groups(made.Id)).map((g) => g.Name), ['Development', 'Field Test', 'Production', 'Production OS Evaluation', 'Field Test OS Evaluation']);
    const lines = await eventually(view, (l) => l.some((x) => x.includes('Lab Sensors — 0 devices · Sensors in the lab')), 'the product shown');
    assert.ok(lines.some((l) => /\$\(server-environment\) Development — 0 devices · Retail OS · no app updates/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /\$\(server-environment\) Production OS Evaluation — 0 devices · Retail Evaluation OS · all updates/.test(l)), lines.join('\n'));
  });

  it('refuses bad names before anything is sent, each with its reason', async () => {
    const before = (await products()).length;
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: CONTOSO.id, name: 'Lab/Sensors', createDefaultGroups: false });
    await vscode.commands.executeCommand('sphereExplorer.createProduct', { tenantId: CONTOSO.id, name: 'x'.repeat(51), createDefaultGroups: false });
    const shown = takeErrors();
    assert.match(shown[0] ?? '', /contains "\/"; names can only contain letters, digits and spaces/);
    assert.match(shown[1] ?? '', /is 51 characters long; at most 50/);
    assert.equal((await products()).length, before);
  });

  it('renames the product and changes a group’s settings; the tree follows', async () => {
    const made = (await product('Lab Sensors'))!;
    await vscode.commands.executeCommand('sphereExplorer.updateProduct', { tenantId: CONTOSO.id, productId: made.Id, name: 'Lab Sensors 2' });
    const field = (await groups(made.Id)).find((g) => g.Name === 'Field Test')!;
    await vscode.commands.executeCommand('sphereExplorer.updateDeviceGroup', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, allowCrashDumpsCollection: true });
    await vscode.commands.executeCommand('sphereExplorer.updateDeviceGroup', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, osFeedType: 1 });
    assert.deepEqual(takeErrors(), []);
    const after = (await groups(made.Id)).find((g) => g.Id === field.Id)!;
    assert.equal(after.AllowCrashDumpsCollection, true);
    assert.equal(after.OsFeedType, 1);
    await eventually(view, (l) => l.some((x) => x.includes('Lab Sensors 2 —')) && l.some((x) => /Field Test — 0 devices · Retail Evaluation OS · all updates · crash dumps on/.test(x)), 'renamed and changed');
  });

  it('uploads an image package with progress and lists it; a file that is no package is refused before sending', async () => {
    const file = join(dir, 'sensor.imagepackage');
    writeFileSync(file, productionPackage(APP, { name: 'SensorApp' }));
    const image = await vscode.commands.executeCommand<{ id: string; name: string }>('sphereExplorer.uploadImagePackage', vscode.Uri.file(file));
    assert.deepEqual(takeErrors(), []);
    assert.equal(image.name, 'SensorApp');
    assert.ok(person().info.some((m) => new RegExp(`Uploaded image "SensorApp" \\(Applications\\) to Contoso Tenant: image ID ${image.id}`).test(m)), person().info.join(' | '));
    await eventually(view, (l) => l.some((x) => /\$\(file-binary\) SensorApp — Applications · component 4a1d3c5e…/.test(x)), 'the image listed');
    const junk = join(dir, 'notes.imagepackage');
    writeFileSync(junk, 'minutes of the meeting');
    const before = (await service<{ Items: unknown[] }>('GET', '/images')).Items.length;
    await vscode.commands.executeCommand('sphereExplorer.uploadImagePackage', vscode.Uri.file(junk));
    assert.match(takeErrors()[0] ?? '', /not an Azure Sphere image package|image package/i);
    assert.equal((await service<{ Items: unknown[] }>('GET', '/images')).Items.length, before);
  });

  it('deploys to a group and shows it as current; no image, or an image that cannot be deployed, is refused', async () => {
    const made = (await product('Lab Sensors 2'))!;
    const field = (await groups(made.Id)).find((g) => g.Name === 'Field Test')!;
    const images = (await service<{ Items: { Id: string; Name: string }[] }>('GET', '/images')).Items;
    const app = images.find((i) => i.Name === 'SensorApp')!;
    await vscode.commands.executeCommand('sphereExplorer.createDeployment', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, imageIds: [] });
    assert.match(takeErrors()[0] ?? '', /A deployment needs at least one image; none was chosen/);
    // A firmware configuration image (a capability file's type) is made for one device: no deployment carries it.
    const config = join(dir, 'config.imagepackage');
    writeFileSync(config, writeImagePackage({ componentId: '6b2e4d6f-8a01-4c3d-9e4f-6a7b8c9d0e12', imageId: '7c3f5e70-9b12-4d4e-8f50-7b8c9d0e1f23', imageType: 13, name: 'Config', buildDate: new Date('2026-01-01T00:00:00Z'), signingThumbprint: '0123456789abcdef0123456789abcdef01234567' }));
    const wrong = await vscode.commands.executeCommand<{ id: string } | undefined>('sphereExplorer.uploadImagePackage', vscode.Uri.file(config));
    takeErrors();
    if (wrong) {
      await vscode.commands.executeCommand('sphereExplorer.createDeployment', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, imageIds: [wrong.id] });
      assert.match(takeErrors()[0] ?? '', /cannot be deployed; a deployment holds application and board configuration images/);
    }
    assert.equal((await groups(made.Id)).find((g) => g.Id === field.Id)!.CurrentDeployment, null);

    await vscode.commands.executeCommand('sphereExplorer.createDeployment', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, imageIds: [app.Id] });
    assert.deepEqual(takeErrors(), []);
    assert.deepEqual((await groups(made.Id)).find((g) => g.Id === field.Id)!.CurrentDeployment?.DeployedImages, [app.Id]);
    await eventually(view, (l) => l.some((x) => /\$\(rocket\) Deployments — current: 1 image/.test(x)) && l.some((x) => /\$\(pass-filled\) SensorApp — current ·/.test(x)), 'the deployment shown');
  });

  it('a Reader cannot deploy: the service’s own refusal is shown', async () => {
    const made = (await product('Lab Sensors 2'))!;
    const field = (await groups(made.Id)).find((g) => g.Name === 'Field Test')!;
    const images = (await service<{ Items: { Id: string; Name: string }[] }>('GET', '/images')).Items;
    await signInAs(person(), SEED.users.riley.email, CONTOSO.name);
    await vscode.commands.executeCommand('sphereExplorer.createDeployment', { tenantId: CONTOSO.id, productId: made.Id, groupId: field.Id, imageIds: [images.find((i) => i.Name === 'SensorApp')!.Id] });
    assert.match(takeErrors()[0] ?? '', /Reader role cannot .* it needs Administrator or Contributor.*HTTP 403/);
    await signInAs(person(), AVERY, CONTOSO.name);
  });

  it('moves a device between groups of its product; deleting a group that still has devices is refused with the count', async () => {
    const made = (await product('Lab Sensors 2'))!;
    const all = await groups(made.Id);
    const development = all.find((g) => g.Name === 'Development')!;
    const fieldTest = all.find((g) => g.Name === 'Field Test')!;
    const deviceId = SEED.claimedDeviceIds[0]!;
    await service('PUT', `/devices/${deviceId}/devicegroup`, development.Id);
    await vscode.commands.executeCommand('sphereExplorer.moveDeviceToGroup', { tenantId: CONTOSO.id, device: { DeviceId: deviceId }, toGroupId: fieldTest.Id });
    assert.deepEqual(takeErrors(), []);
    assert.equal((await service<{ DeviceGroupId: string }>('GET', `/devices/${deviceId}`)).DeviceGroupId, fieldTest.Id);
    // A group of another product is refused before the move is sent.
    const thermostat = (await products()).find((p) => p.Name === 'Contoso Thermostat')!;
    const otherGroup = (await groups(thermostat.Id))[0]!;
    await vscode.commands.executeCommand('sphereExplorer.moveDeviceToGroup', { tenantId: CONTOSO.id, device: { DeviceId: deviceId }, toGroupId: otherGroup.Id });
    assert.match(takeErrors()[0] ?? '', /a device moves only between the groups of its product/);
    assert.equal((await service<{ DeviceGroupId: string }>('GET', `/devices/${deviceId}`)).DeviceGroupId, fieldTest.Id);

    // Refused before the confirmation is even asked for.
    await vscode.commands.executeCommand('sphereExplorer.deleteDeviceGroup', { tenantId: CONTOSO.id, productId: made.Id, groupId: fieldTest.Id });
    assert.match(takeErrors()[0] ?? '', /Device group "Field Test" still has 1 device; move it to another group first\. Nothing was deleted\./);
    await eventually(view, (l) => l.some((x) => /Field Test — 1 device ·/.test(x)) && l.some((x) => x.includes(`${deviceId.slice(0, 12)}…`)), 'the device under Field Test');
  });

  it('closes the loop on the board: moved into the deploying group, it checks in, installs the image, and the tree says installed', async () => {
    let tb: TestBoard | undefined;
    try {
      tb = await startTestBoard('fleet-board', {
        simulator: { cloudUrl: cloud.emu.url, cloudCaPem: cloud.emu.caCertPem, attestationTiming: { checkMs: 100, retryMaxMs: 500 }, updateTiming: { checkMs: 300, retryMaxMs: 1000 }, log: () => undefined },
      });
      const board = tb.board;
      await service('PUT', `/devices/${board.deviceId.toUpperCase()}/claim`);
      await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
      person().willPick('$(radio-tower) CoffeeShop');
      await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
      const made = (await product('Lab Sensors 2'))!;
      const fieldTest = (await groups(made.Id)).find((g) => g.Name === 'Field Test')!;
      // Moved from the attached board's own node, as a person does in the Devices view.
      await eventually(() => api.renderView('sphereExplorer.devices', 2), (l) => l.some((x) => x.includes('claimed in Contoso')), 'the board shown claimed');
      await vscode.commands.executeCommand('sphereExplorer.moveDeviceToGroup', { boardKey: `sim:${board.deviceId.toLowerCase()}`, toGroupId: fieldTest.Id });
      assert.deepEqual(takeErrors(), []);
      await eventually(() => board.updates.installedFromCloud.length, (n) => n === 1, 'the board installed the deployed image', 30_000);
      assert.equal(board.state.apps.find((a) => a.componentId === APP)?.runState, 'running');
      const group = groupNodeId({ id: CONTOSO.id, kind: 'legacy' }, made.Id, fieldTest.Id);
      const device = `${group}/device:${board.deviceId.toUpperCase()}`;
      await vscode.commands.executeCommand('sphereExplorer.refreshAccounts');
      await eventually(
        async () => {
          await api.renderView(VIEW, 7);
          return api.renderView(VIEW, 1, device);
        },
        (l) => l.some((x) => /\$\(pass-filled\) SensorApp — targeted · installed/.test(x)),
        'the device’s image shown installed',
        30_000,
      );
    } finally {
      await tb?.close();
    }
  });

  it('adds and removes a user’s role, renames the tenant, and saves the error report as CSV', async () => {
    await vscode.commands.executeCommand('sphereExplorer.addUserRole', { tenantId: CONTOSO.id, email: SEED.users.morgan.email, role: 'Reader' });
    assert.deepEqual(takeErrors(), []);
    await eventually(view, (l) => l.some((x) => /Morgan Lee — morgan@contoso.com · Reader/.test(x)), 'Morgan shown as Reader');
    const users = (await callService(cloud.emu, AVERY, 'GET', `/v2/tenants/${CONTOSO.id}/users`)) as { Principals: { PrincipalId: string; Mail: string; DisplayName: string; Roles: string[] }[] };
    const morgan = users.Principals.find((p) => p.Mail === SEED.users.morgan.email)!;
    person().willAnswer('Remove');
    await vscode.commands.executeCommand('sphereExplorer.removeUserRole', { tenantId: CONTOSO.id, user: morgan, role: 'Reader' });
    assert.deepEqual(takeErrors(), []);
    await eventually(view, (l) => !l.some((x) => /Morgan Lee — morgan@contoso.com · Reader/.test(x)), 'Morgan’s role gone');

    await vscode.commands.executeCommand('sphereExplorer.renameTenant', { tenantId: CONTOSO.id, name: 'Contoso Devices' });
    assert.deepEqual(takeErrors(), []);
    await eventually(view, (l) => l.some((x) => x.includes('Contoso Devices — Administrator')), 'the tenant renamed');

    const csv = join(dir, 'errors.csv');
    person().saveAs.push(csv);
    await vscode.commands.executeCommand('sphereExplorer.downloadErrorReport', { tenantId: CONTOSO.id });
    assert.deepEqual(takeErrors(), []);
    const text = readFileSync(csv, 'utf8');
    assert.match(text.split('\n')[0]!, /^Device ID,Event Type,Event Class,Event Category,Event Count,Description,Start Time \(UTC\),End Time \(UTC\)/);
  });
});
