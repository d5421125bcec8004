// The Devices view's pager against the real emulator over HTTPS: one request per "Load more", pages in order,
// the end of the list recognised, and concurrent clicks sharing one request.
import * as assert from 'node:assert/strict';
import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/cloud/https-transport';
import { SphereApiClient } from '../../../src/cloud/sphere-api-client';
import { claimedDevicePages, DevicePager } from '../../../src/tenants/device-pager';
import { signedInPerSuite } from '../../helpers/cloud-harness';
import { SEED } from '../../../emulator/cloud';

/** Counts the requests that reach the service (everything still goes over HTTPS). */
class CountingTransport implements HttpTransport {
  deviceListRequests = 0;
  constructor(private readonly inner: HttpTransport) {}
  send(request: HttpRequest): Promise<HttpResponse> {
    if (/\/devices$/.test(new URL(request.url).pathname)) this.deviceListRequests++;
    return this.inner.send(request);
  }
}

describe('DevicePager (a tenant\'s claimed devices) against the emulator', function () {
  this.timeout(60_000);
  const suite = signedInPerSuite(SEED.users.avery.email, { bulkDevices: 250 });
  let transport: CountingTransport;
  let api: SphereApiClient;
  const fleet = SEED.tenants.contosoFleet.id;

  beforeEach(() => {
    transport = new CountingTransport(suite.session.transport);
    api = new SphereApiClient({ settings: suite.fx.settings, tokens: suite.session.engine, transport });
  });

  it('shows the first page with one request and more on each "Load more", until the service has no more', async () => {
    const pager = new DevicePager(claimedDevicePages(api, fleet), 100);
    await pager.ensureFirstPage();
    assert.equal(pager.devices.length, 100);
    assert.equal(pager.hasMore, true);
    assert.equal(transport.deviceListRequests, 1);
    await pager.ensureFirstPage();
    assert.equal(transport.deviceListRequests, 1, 'the first page is not fetched again');

    await pager.loadMore();
    await pager.loadMore();
    assert.equal(pager.devices.length, 250);
    assert.equal(pager.hasMore, false);
    assert.equal(transport.deviceListRequests, 3);
    await pager.loadMore();
    assert.equal(transport.deviceListRequests, 3, 'nothing is asked after the last page');

    const all = await api.listDevices(fleet);
    assert.deepEqual(pager.devices.map((d) => d.DeviceId).sort(), all.map((d) => d.DeviceId).sort());
    assert.equal(new Set(pager.devices.map((d) => d.DeviceId)).size, 250, 'no device twice');
  });

  it('shares one request between clicks made while a page is loading', async () => {
    const pager = new DevicePager(claimedDevicePages(api, fleet), 100);
    await Promise.all([pager.loadMore(), pager.loadMore(), pager.loadMore()]);
    assert.equal(pager.devices.length, 100);
    assert.equal(transport.deviceListRequests, 1);
  });

  it('fills a page from smaller pages when the service hands out fewer than asked (ARM lists hold 100)', async () => {
    // The service's pages capped at 100, whatever is asked, as Azure Resource Manager's device lists are.
    const capped = (options: { maxPageSize?: number }) => claimedDevicePages(api, fleet)({ ...options, maxPageSize: 100 });
    const pager = new DevicePager(capped, 200);
    await pager.ensureFirstPage();
    assert.equal(pager.devices.length, 200);
    assert.equal(transport.deviceListRequests, 2);
    await pager.loadMore();
    assert.equal(pager.devices.length, 250);
    assert.equal(pager.hasMore, false);
    assert.equal(transport.deviceListRequests, 3);
  });

  it('says there is nothing more for a tenant that fits in one page', async () => {
    const pager = new DevicePager(claimedDevicePages(api, SEED.tenants.contoso.id), 100);
    await pager.ensureFirstPage();
    assert.equal(pager.hasMore, false);
    assert.deepEqual(pager.devices.map((d) => d.DeviceId).sort(), [...SEED.claimedDeviceIds].sort());
  });
});
