// The rules the board applies to an update check's answer (emulator/board/updates/deployment-plan.ts), without a
// cloud: development mode and no group take nothing; No3rdPartyAppUpdates takes board configurations only and leaves
// apps alone; otherwise what is targeted and not installed is installed, cloud-installed components no longer targeted
// are removed and sideloaded ones kept; types a deployment does not bring, and a second image of one component, are
// ignored. Also what the board accepts as an answer (update-check-request.ts).
import * as assert from 'node:assert/strict';
import type { InstalledComponentRecord } from '../../../emulator/board/board-state';
import { planDeployment } from '../../../emulator/board/updates/deployment-plan';
import { answerFrom, type TargetedImage, type UpdateCheckAnswer } from '../../../emulator/board/updates/update-check-request';

const GROUP = '7e3a0002-1c2d-4e5f-8a9b-0c1d2e3f4a02';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const image = (component: number, imageN: number, imageType = 10): TargetedImage =>
  ({ imageId: id(imageN), componentId: id(component), name: `c${component}`, imageType, sizeBytes: 4000, sha256: 'ab'.repeat(32) });

const installed = (component: number, imageN: number, origin?: 'cloud', imageType = 10): InstalledComponentRecord => ({
  componentId: id(component), imageId: id(imageN), imageType, name: `c${component}`, lengthInBytes: 4000, storageLimitKB: 0, storageUsedKB: 0, runState: 'running',
  ...(origin && { origin }),
});

const answer = (targetedImages: TargetedImage[], updatePolicy: 0 | 1 | null = 0, deviceGroupId: string | null = GROUP): UpdateCheckAnswer =>
  ({ deviceGroupId, updatePolicy, deploymentId: 'd1', checkedAt: '2025-01-31T08:00:00.000Z', targetedImages });

const ids = (list: readonly { imageId: string }[]) => list.map((i) => i.imageId);

describe('board-sim updates: what the board takes from a deployment', () => {
  it('installs what is targeted and missing, removes cloud components no longer targeted, keeps sideloaded ones', () => {
    const have = [installed(1, 101, 'cloud'), installed(2, 201, 'cloud'), installed(3, 301), installed(4, 401, 'cloud', 21)];
    const plan = planDeployment(answer([image(1, 102), image(3, 302), image(5, 501), image(2, 201)]), have, false);
    assert.equal(plan.updates, 'allowed');
    assert.deepEqual(ids(plan.install), [id(102), id(302), id(501)], 'a new image, one over a sideloaded component, a new component; the installed image is not fetched again');
    assert.deepEqual(plan.remove.map((c) => c.componentId), [id(4)], 'the cloud board configuration the deployment dropped; sideloaded component 3 is never removed');
    assert.deepEqual(plan.ignored, []);
  });

  it('takes nothing in development mode or without a device group, whatever is targeted or installed', () => {
    const have = [installed(1, 101, 'cloud')];
    for (const [plan, updates] of [
      [planDeployment(answer([image(2, 201)]), have, true), 'developmentMode'],
      [planDeployment(answer([image(2, 201)], null, null), have, false), 'noDeviceGroup'],
    ] as const) {
      assert.deepEqual([plan.updates, plan.install, plan.remove], [updates, [], []]);
    }
  });

  it('under No3rdPartyAppUpdates manages board configurations only: apps are neither installed nor removed', () => {
    const have = [installed(1, 101, 'cloud'), installed(4, 401, 'cloud', 21)];
    const plan = planDeployment(answer([image(2, 201), image(5, 501, 21)], 1), have, false);
    assert.equal(plan.updates, 'groupPolicy');
    assert.deepEqual(ids(plan.install), [id(501)]);
    assert.deepEqual(plan.remove.map((c) => c.componentId), [id(4)], 'the old board configuration goes; the cloud app stays');
  });

  it('ignores types a deployment does not bring and a second image of one component', () => {
    const plan = planDeployment(answer([image(1, 101), image(1, 102), image(6, 601, 13)]), [], false);
    assert.deepEqual(ids(plan.install), [id(101)]);
    assert.deepEqual(plan.ignored.map((i) => [i.image.imageId, i.why]), [
      [id(102), `another image of component ${id(1)} comes first in the deployment`],
      [id(601), 'image type 13 is not installed from deployments (applications and board configurations are)'],
    ]);
  });

  it('acts only on an answer of the route’s shape', () => {
    const good = { deviceId: 'X', tenantId: 't', productId: null, deviceGroupId: GROUP.toUpperCase(), updatePolicy: 0, deploymentId: 'd', checkedAt: '2025-01-31T08:00:00.000Z', targetedImages: [{ ...image(1, 101), imageId: id(101).toUpperCase() }] };
    const parsed = answerFrom(JSON.stringify(good));
    assert.deepEqual([parsed?.deviceGroupId, parsed?.targetedImages[0]?.imageId], [GROUP, id(101)], 'IDs lower-cased');
    for (const bad of [
      { ...good, updatePolicy: 2 },
      { ...good, checkedAt: 'yesterday' },
      { ...good, deviceGroupId: 'group' },
      { ...good, targetedImages: {} },
      { ...good, targetedImages: [{ ...image(1, 101), sha256: 'x' }] },
      { ...good, targetedImages: [{ ...image(1, 101), sizeBytes: -1 }] },
    ]) {
      assert.equal(answerFrom(JSON.stringify(bad)), undefined, JSON.stringify(bad).slice(0, 120));
    }
    assert.equal(answerFrom('not json'), undefined);
    assert.equal(answerFrom('null'), undefined);
  });
});
