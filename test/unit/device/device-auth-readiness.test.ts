// Why a board cannot authenticate to a hub yet, in the order a person fixes it: claim, internet, clock, then waiting
// for the certificate.
import * as assert from 'node:assert/strict';
import { deviceAuthReadiness } from '../../../src/device/device-auth-readiness';
import type { NetworkStatus } from '../../../src/device/rest/types';

const status = (over: Partial<NetworkStatus> = {}): NetworkStatus => ({ deviceAuthenticationIsReady: false, networkTimeSync: 'incomplete', proxy: 'disabled', ...over }) as NetworkStatus;

describe('device/deviceAuthReadiness', () => {
  it('is ready when the board says so, whatever else is known', () => {
    assert.deepEqual(deviceAuthReadiness({ status: status({ deviceAuthenticationIsReady: true }), claimed: undefined, online: false }), { ready: true });
  });

  it('names the first thing to fix: not claimed, then offline, then the clock, then the wait', () => {
    const reasons = [
      deviceAuthReadiness({ status: status(), claimed: false, online: false }),
      deviceAuthReadiness({ status: status(), claimed: true, online: false }),
      deviceAuthReadiness({ status: status(), claimed: undefined, online: true }),
      deviceAuthReadiness({ status: status({ networkTimeSync: 'complete' }), claimed: true, online: true }),
    ];
    assert.deepEqual(reasons.map((r) => (r.ready ? 'ready' : r.nextStep)), ['claim', 'wifi', 'wait', 'wait']);
    assert.match(reasons[0]!.ready ? '' : reasons[0]!.reason, /not claimed/);
    assert.match(reasons[1]!.ready ? '' : reasons[1]!.reason, /not connected to the internet/);
    assert.match(reasons[2]!.ready ? '' : reasons[2]!.reason, /clock is not synced/);
    assert.match(reasons[3]!.ready ? '' : reasons[3]!.reason, /not received its daily device certificate/);
  });
});
