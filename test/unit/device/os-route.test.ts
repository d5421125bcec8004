// The OS route: discovery through a vendor Device Communication Service (a real HTTP server on loopback standing in
// for the vendor's, which cannot run here), the sl0 fallback, and REST calls through the route to a loopback HTTPS
// board. Nothing is ever sent to a real 192.168.x address: the route is pointed at 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeviceConnection } from '../../../src/device/device-connection';
import { discoverOsRouteDevices, OsRouteConnector } from '../../../src/device/os-route';
import { randomDeviceId, startLoopbackBoard } from '../../helpers/loopback-board';
import { makeCa, makeServerIdentity } from '../../helpers/test-pki';

async function startVendorService(devices: unknown): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (req.url === '/api/service/devices') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(devices));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function unusedLoopbackUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

describe('OS route', () => {
  it('lists the boards the vendor service reports, dropping addresses outside 192.168.35.2–254', async () => {
    const service = await startVendorService([
      { IpAddress: '192.168.35.2', DeviceConnectionPath: '1243' },
      { IpAddress: '192.168.35.7', DeviceConnectionPath: '1250' },
      { IpAddress: '10.0.0.5', DeviceConnectionPath: '9' },
      { IpAddress: '192.168.35.255', DeviceConnectionPath: '10' },
    ]);
    try {
      const devices = await discoverOsRouteDevices({ serviceUrl: service.url, networkInterfaces: () => ({}) });
      assert.deepEqual(devices, [
        { ipAddress: '192.168.35.2', connectionPath: '1243', source: 'vendor-service' },
        { ipAddress: '192.168.35.7', connectionPath: '1250', source: 'vendor-service' },
      ]);
      assert.deepEqual(service.hits, ['GET /api/service/devices']);
    } finally {
      await service.close();
    }
  });

  it('falls back to an sl0 interface when no vendor service answers, and finds nothing without one', async () => {
    const deadUrl = await unusedLoopbackUrl();
    const sl0 = [{ address: '192.168.35.1', netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: '192.168.35.1/24' }] as const;
    assert.deepEqual(await discoverOsRouteDevices({ serviceUrl: deadUrl, networkInterfaces: () => ({ sl0: [...sl0] }) }), [
      { ipAddress: '192.168.35.2', connectionPath: '', source: 'sl0' },
    ]);
    assert.deepEqual(await discoverOsRouteDevices({ serviceUrl: deadUrl, networkInterfaces: () => ({ lo: [] }) }), []);
  });

  it('talks HTTPS to a discovered board through the route, verified against the configured CA', async () => {
    const ca = makeCa();
    const board = await startLoopbackBoard(makeServerIdentity(ca), randomDeviceId());
    const service = await startVendorService([{ IpAddress: '192.168.35.2', DeviceConnectionPath: '1243' }]);
    const dialled: string[] = [];
    try {
      const [device] = await discoverOsRouteDevices({ serviceUrl: service.url });
      const route = new OsRouteConnector(device!.ipAddress, {
        resolveEndpoint: (ip) => {
          dialled.push(ip);
          return { host: '127.0.0.1', port: board.port };
        },
      });
      const connection = new DeviceConnection({ route, trust: { kind: 'ca', caPem: ca.certPem, caLabel: 'test CA' } });
      try {
        assert.equal(await connection.client.getDeviceId(), board.deviceId);
        assert.equal(connection.label, 'OS route 192.168.35.2');
      } finally {
        connection.dispose();
      }
      assert.deepEqual(dialled, ['192.168.35.2']);
    } finally {
      await service.close();
      await board.close();
    }
  });

  it('reports a refused connection as CONNECTION_FAILED naming the route', async () => {
    const deadPort = Number(new URL(await unusedLoopbackUrl()).port);
    const route = new OsRouteConnector('192.168.35.2', { resolveEndpoint: () => ({ host: '127.0.0.1', port: deadPort }) });
    const connection = new DeviceConnection({ route, trust: { kind: 'ca', caPem: makeCa().certPem, caLabel: 'test CA' }, maxAttempts: 2 });
    try {
      await assert.rejects(connection.client.getStatus(), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'CONNECTION_FAILED');
        assert.match(err.message, /Could not connect to the device \(OS route 192\.168\.35\.2\).*ECONNREFUSED/);
        return true;
      });
    } finally {
      connection.dispose();
    }
  });
});
