// Network interface endpoints.
import * as assert from 'node:assert/strict';
import type { SimulatedBoard } from '../../../emulator/board';
import { BoardFixture, callBoard, get } from './helpers/board-fixture';

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
});
