// Network interface endpoints.
import * as assert from 'node:assert/strict';
import type { SimulatedBoard } from '../../../emulator/board';
import { BoardFixture, callBoard, get } from '../../helpers/board-fixture';

describe('board-sim REST: network interfaces', () => {
  const fixture = new BoardFixture();
  let board: SimulatedBoard;
  before(async () => {
    board = await fixture.start('net');
  });
  after(() => fixture.cleanup());

  it('lists azspheresvc, lo and wlan0 in the reference shape', async () => {
    const { interfaces } = (await get(board, '/net/interfaces')).body as { interfaces: Record<string, unknown>[] };
    assert.deepEqual(interfaces[0], { interfaceName: 'azspheresvc', interfaceUp: true, connectedToNetwork: false, ipAcquired: false, connectedToInternet: false, ipAddresses: ['192.168.35.2'] });
    assert.deepEqual(interfaces[1], { interfaceName: 'lo', interfaceUp: true, connectedToNetwork: false, ipAcquired: false, connectedToInternet: false, ipAddresses: ['127.0.0.1'] });
    assert.equal(interfaces[2].interfaceName, 'wlan0');
    assert.equal(interfaces[2].ipAssignment, 'dynamic');
    assert.match(interfaces[2].hardwareAddress as string, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('gets one interface; an unknown name is 404 {"error":15728642}', async () => {
    assert.equal(((await get(board, '/net/interfaces/azspheresvc')).body as { interfaceName: string }).interfaceName, 'azspheresvc');
    const unknown = await get(board, '/net/interfaces/eth9');
    assert.deepEqual([unknown.status, unknown.body], [404, { error: 15728642 }]);
  });

  it('takes wlan0 down and up, persisting the state', async () => {
    assert.deepEqual((await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: false } })).body, {});
    assert.equal(((await get(board, '/net/interfaces/wlan0')).body as { interfaceUp: boolean }).interfaceUp, false);
    assert.equal(board.state.interfaces.wlan0.up, false);
    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: true } });
    assert.equal(board.state.interfaces.wlan0.up, true);
  });

  it('sets the wlan0 hardware address, which /wifi/interface then reports; refuses a bad one with 31457286', async () => {
    await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { hardwareAddress: '0A:BB:CC:DD:EE:F0' } });
    assert.equal(((await get(board, '/wifi/interface')).body as { address: string }).address, '0a:bb:cc:dd:ee:f0');
    for (const bad of ['0a:bb:cc:dd:ee', '01:bb:cc:dd:ee:f0', 'zz:bb:cc:dd:ee:f0', 42]) {
      const reply = await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { hardwareAddress: bad } });
      assert.deepEqual([reply.status, reply.body], [400, { error: 31457286 }], String(bad));
    }
  });

  it('refuses to change azspheresvc or lo (31457295) and an empty change (31457294)', async () => {
    for (const name of ['azspheresvc', 'lo']) {
      const reply = await callBoard(board, { method: 'PATCH', path: `/net/interfaces/${name}`, body: { interfaceUp: false } });
      assert.deepEqual([reply.status, reply.body], [400, { error: 31457295 }], name);
    }
    const empty = await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: {} });
    assert.deepEqual([empty.status, empty.body], [400, { error: 31457294 }]);
  });

  it('stores a proxy: POST answers with it, GET hides the password, DELETE clears it, /net/status reports it', async () => {
    assert.deepEqual((await get(board, '/net/proxy')).body, {});
    const basic = { enabled: true, address: 'proxy.contoso.com', port: 8081, noProxyAddresses: ['10.0.0.1'], authenticationType: 'basic', username: 'u', password: 'secret-pw' };
    const posted = await callBoard(board, { method: 'POST', path: '/net/proxy', body: basic });
    assert.deepEqual(posted.body, { address: 'proxy.contoso.com', enabled: true, port: 8081, authenticationType: 'basic', username: 'u', password: 'secret-pw', noProxyAddresses: ['10.0.0.1'] });
    const shown = await get(board, '/net/proxy');
    assert.deepEqual(shown.body, { address: 'proxy.contoso.com', enabled: true, port: 8081, authenticationType: 'basic', username: 'u', noProxyAddresses: ['10.0.0.1'] });
    assert.equal(((await get(board, '/net/status')).body as { proxy: string }).proxy, 'enabled');
    assert.deepEqual((await callBoard(board, { method: 'DELETE', path: '/net/proxy' })).body, {});
    assert.deepEqual((await get(board, '/net/proxy')).body, {});
    assert.equal(((await get(board, '/net/status')).body as { proxy: string }).proxy, 'disabled');
  });

  it('refuses inconsistent proxy settings with 400 and keeps none', async () => {
    const bad = [
      { enabled: true, address: '', port: 8081, authenticationType: 'anonymous' },
      { enabled: true, address: 'p', port: 70000, authenticationType: 'anonymous' },
      { enabled: true, address: 'p', port: 8081, authenticationType: 'anonymous', username: 'u' },
      { enabled: true, address: 'p', port: 8081, authenticationType: 'basic' },
      { enabled: true, address: 'p', port: 8081, authenticationType: 'kerberos' },
    ];
    for (const body of bad) {
      assert.equal((await callBoard(board, { method: 'POST', path: '/net/proxy', body })).status, 400, JSON.stringify(body));
    }
    assert.equal(board.state.proxy, null);
  });
});
