// A tenant CA not verified on the hub is answered with the certificate wizard; other failures get no IoT button.
import * as assert from 'node:assert/strict';
import { TenantCaNotVerifiedError } from '../../../src/cloud/iot/tenant-ca-on-hub';
import { iotActionsFor, VALIDATE_CA_BUTTON } from '../../../src/iot/iot-failure-actions';

describe('iot/iotActionsFor', () => {
  const hub = { kind: 'iotHub' as const, subscriptionId: 's', resourceGroup: 'rg', name: 'contoso-hub' };

  it('offers Validate CA Certificate… for a CA not verified (also when wrapped), and opens it on that tenant or catalog', () => {
    const opened: string[] = [];
    const catalog = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.AzureSphere/catalogs/contoso-lab';
    for (const scope of [{ id: 't', kind: 'legacy' as const, name: 'Contoso Tenant' }, { id: catalog, kind: 'catalog' as const, name: 'contoso-lab' }]) {
      const wrapped = new Error('Connect Board to IoT Hub… failed', { cause: new TenantCaNotVerifiedError(hub, scope, 'unverified') });
      const actions = iotActionsFor(wrapped, (id) => opened.push(id));
      assert.deepEqual(actions.map((a) => a.label), [VALIDATE_CA_BUTTON]);
      actions[0]!.run();
    }
    assert.deepEqual(opened, ['t', catalog]);
    assert.match(new TenantCaNotVerifiedError(hub, { id: catalog, kind: 'catalog', name: 'contoso-lab' }, 'missing').message, /^The CA certificate of catalog contoso-lab is not on IoT hub "contoso-hub"/);
  });

  it('offers nothing for other failures', () => {
    assert.deepEqual(iotActionsFor(new Error('network'), () => undefined), []);
  });
});
