// Which device group Enable Development / Enable Cloud Test pick, and what they say when there is nothing to move.
import { strict as assert } from 'node:assert';
import { developmentGroupFor, fieldTestGroupFor, planGroupChange } from '../../../src/cloud/development-mode';
import type { Device, DeviceGroup } from '../../../src/cloud/sphere-api-types';

const TENANT = '768c2cd6-1bf0-4521-9f53-084a331d81cb';
const PRODUCT = '7e3a0001-1c2d-4e5f-8a9b-0c1d2e3f4a01';
const DEVICE_ID = 'D4'.repeat(64);

function group(id: number, name: string, updatePolicy: number): DeviceGroup {
  return {
    Id: `7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a0${id}`,
    TenantId: TENANT,
    OsFeedType: 0,
    ProductId: PRODUCT,
    Name: name,
    Description: null,
    CurrentDeployment: null,
    UpdatePolicy: updatePolicy,
    AllowCrashDumpsCollection: false,
  };
}

function device(productId: string | null, groupId: string | null): Device {
  return {
    DeviceId: DEVICE_ID,
    TenantId: TENANT,
    ProductId: productId,
    DeviceGroupId: groupId,
    ChipSku: 0,
    LastAvailableOSVersion: null,
    LastInstalledOSVersion: null,
    LastOSUpdateUTC: null,
    LastUpdateRequestUTC: null,
  };
}

const DEFAULTS = [group(1, 'Development', 1), group(2, 'Field Test', 0), group(3, 'Production', 0), group(4, 'Production OS Evaluation', 0), group(5, 'Field Test OS Evaluation', 0)];

describe('cloud/development-mode', () => {
  it('finds Development and Field Test by name, ignoring case and surrounding spaces, and not by a name that only contains them', () => {
    assert.equal(developmentGroupFor(DEFAULTS)?.Name, 'Development');
    assert.equal(fieldTestGroupFor(DEFAULTS)?.Name, 'Field Test');
    const renamed = [group(1, ' DEVELOPMENT ', 1), group(2, 'field test', 0)];
    assert.equal(developmentGroupFor(renamed)?.Id, renamed[0]!.Id);
    assert.equal(fieldTestGroupFor(renamed)?.Id, renamed[1]!.Id);
    // "Field Test OS Evaluation" is not "Field Test", even listed first.
    assert.equal(fieldTestGroupFor([group(5, 'Field Test OS Evaluation', 0), group(6, 'Development Boards', 1)]), undefined);
    assert.equal(developmentGroupFor([group(6, 'Development Boards', 1)]), undefined);
  });

  it('moves a device of a product to its Development / Field Test group', () => {
    const dev = planGroupChange('development', device(PRODUCT, DEFAULTS[2]!.Id), DEFAULTS, 'Contoso Thermostat');
    assert.equal(dev.kind, 'move');
    assert.equal(dev.kind === 'move' && dev.group.Id, DEFAULTS[0]!.Id);
    assert.equal(dev.kind === 'move' && dev.warning, undefined);
    assert.equal(dev.message, 'Moving device D4D4D4D4… to the "Development" device group.');
    const test = planGroupChange('fieldTest', device(PRODUCT, DEFAULTS[0]!.Id), DEFAULTS);
    assert.equal(test.kind === 'move' && test.group.Name, 'Field Test');
  });

  it('sends nothing when the device is already there (the ID compared without case)', () => {
    const plan = planGroupChange('development', device(PRODUCT, DEFAULTS[0]!.Id.toUpperCase()), DEFAULTS);
    assert.equal(plan.kind, 'alreadyThere');
    assert.match(plan.message, /already in the "Development" device group/);
  });

  it('does not move a device in no product, and says so and why', () => {
    const dev = planGroupChange('development', device(null, null), DEFAULTS);
    assert.equal(dev.kind, 'noProduct');
    assert.match(dev.message, /^Device D4D4D4D4… is in no product, so its device group was left unchanged\. .*sideloaded apps stay/);
    const test = planGroupChange('fieldTest', device(null, null), []);
    assert.equal(test.kind, 'noProduct');
    assert.match(test.message, /Field Test group/);
  });

  it('does not move when the product has no group of that name, naming the product', () => {
    const plan = planGroupChange('development', device(PRODUCT, null), DEFAULTS.slice(1), 'Contoso Thermostat');
    assert.equal(plan.kind, 'noSuchGroup');
    assert.match(plan.message, /^Product "Contoso Thermostat" has no device group named "Development"/);
    assert.match(planGroupChange('fieldTest', device(PRODUCT, null), []).message, new RegExp(`^Product ${PRODUCT} has no device group named "Field Test"`));
  });

  it('warns when a group found by name has an update policy that defeats the purpose', () => {
    const dev = planGroupChange('development', device(PRODUCT, null), [group(1, 'Development', 0)]);
    assert.equal(dev.kind, 'move');
    assert.match((dev.kind === 'move' && dev.warning) || '', /accepts app updates from the cloud/);
    const test = planGroupChange('fieldTest', device(PRODUCT, null), [group(2, 'Field Test', 1)]);
    assert.match((test.kind === 'move' && test.warning) || '', /deployments will not reach the device/);
    const there = planGroupChange('development', device(PRODUCT, group(1, 'Development', 0).Id), [group(1, 'Development', 0)]);
    assert.equal(there.kind, 'alreadyThere');
    assert.ok(there.kind === 'alreadyThere' && there.warning);
  });
});
