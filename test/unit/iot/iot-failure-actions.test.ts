// A tenant CA not verified on the hub is answered with the certificate wizard; other failures get no IoT button.
import * as assert from 'node:assert/strict';
import { TenantCaNotVerifiedError } from '../../../src/cloud/iot/tenant-ca-on-hub';
import { iotActionsFor, VALIDATE_CA_BUTTON } from '../../../src/iot/iot-failure-actions';

describe('iot/iotActionsFor', () => {
  const hub = { kind: 'iotHub' as const, subscriptionId: 's', resourceGroup: 'rg', name: 'contoso-hub' };

  it('offers Validate CA Certificate… for a CA not verified (also when wrapped), and runs it', () => {
    let opened = 0;
    const wrapped = new Error('Connect Board to IoT Hub… failed', { cause: new TenantCaNotVerifiedError(hub, 't', 'unverified') });
    const actions = iotActionsFor(wrapped, () => opened++);
    assert.deepEqual(actions.map((a) => a.label), [VALIDATE_CA_BUTTON]);
    actions[0]!.run();
    assert.equal(opened, 1);
  });

  it('offers nothing for other failures', () => {
    assert.deepEqual(iotActionsFor(new Error('network'), () => undefined), []);
  });
});
