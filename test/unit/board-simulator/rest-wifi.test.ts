// Wi-Fi configuration endpoints: shapes, ids, validation codes, wlan0-down behaviour, scans and the interface view.
import * as assert from 'node:assert/strict';
import type { SimulatedBoard } from '../../../emulator/board';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';

const post = (board: SimulatedBoard, body: unknown) => callBoard(board, { method: 'POST', path: '/wifi/config/networks', body });
const patch = (board: SimulatedBoard, path: string, body: unknown) => callBoard(board, { method: 'PATCH', path, body });
const del = (board: SimulatedBoard, path: string) => callBoard(board, { method: 'DELETE', path });

describe('board-sim REST: Wi-Fi', () => {
  const fixture = new BoardFixture();
  let board: SimulatedBoard;
  let started = 0; // a fresh state folder per test

  beforeEach(async () => {
    board = await fixture.start(`wifi-${++started}`);
  });
  afterEach(() => fixture.stop(board));
  after(() => fixture.cleanup());

  it('starts with no networks: {"values":[]}', async () => {
    assert.deepEqual((await get(board, '/wifi/config/networks')).body, { values: [] });
  });

  it('adds open, PSK and EAP-TLS networks with 201, ids from 0, connectionState "unknown", and no PSK in any answer', async () => {
    const open = await post(board, { ssid: 'CoffeeShop', securityState: 'open', configName: 'cafe' });
    assert.equal(open.status, 201);
    assert.deepEqual(open.body, {
      ssid: 'CoffeeShop', configState: 'enabled', connectionState: 'unknown', id: 0, securityState: 'open', targetedScan: false, configName: 'cafe',
    });
    const psk = await post(board, { ssid: 'HomeNetwork', securityState: 'psk', psk: 'correct horse battery', configState: 'disabled' });
    assert.equal(psk.status, 201);
    assert.deepEqual(psk.body, {
      ssid: 'HomeNetwork', configState: 'disabled', connectionState: 'unknown', id: 1, securityState: 'psk', targetedScan: false,
    });
    const eap = await post(board, {
      ssid: 'Contoso-Corp', securityState: 'eaptls', clientCertStoreIdentifier: 'client1', rootCaCertStoreIdentifier: 'root1', clientIdentity: 'user@contoso',
    });
    assert.equal(eap.status, 201);
    assert.deepEqual(eap.body, {
      ssid: 'Contoso-Corp', configState: 'enabled', connectionState: 'unknown', id: 2, securityState: 'eaptls', targetedScan: false,
      clientCertStoreIdentifier: 'client1', clientIdentity: 'user@contoso', rootCaCertStoreIdentifier: 'root1',
    });
    const list = await get(board, '/wifi/config/networks');
    assert.equal(list.status, 200);
    const values = (list.body as { values: Record<string, unknown>[] }).values;
    assert.deepEqual(values.map((v) => v.id), [0, 1, 2]);
    assert.ok(!list.raw.includes('correct horse battery'));
    assert.ok(values.every((v) => v.connectionState === 'disconnected' || v.connectionState === 'connected'));
    assert.equal(board.state.wifi.networks[1].psk, 'correct horse battery', 'the key is kept on the board');
  });

  it('accepts targetScan (what the official clients send) as well as targetedScan, and answers with targetedScan', async () => {
    const a = await post(board, { ssid: 'LabHidden', securityState: 'psk', psk: 'hidden-lab-key', targetScan: true });
    assert.equal((a.body as { targetedScan: boolean }).targetedScan, true);
    const b = await post(board, { ssid: 'Other', securityState: 'open', targetedScan: true });
    assert.equal((b.body as { targetedScan: boolean }).targetedScan, true);
  });

  it('numbers a new network one above the highest id in use, and from 0 again when all are gone', async () => {
    await post(board, { ssid: 'A', securityState: 'open' });
    await post(board, { ssid: 'B', securityState: 'open' });
    assert.deepEqual((await del(board, '/wifi/config/networks/0')).body, {});
    assert.equal(((await post(board, { ssid: 'C', securityState: 'open' })).body as { id: number }).id, 2);
    await del(board, '/wifi/config/networks/1');
    await del(board, '/wifi/config/networks/2');
    assert.equal(((await post(board, { ssid: 'D', securityState: 'open' })).body as { id: number }).id, 0);
  });

  const invalidAdds: [string, unknown, number, number][] = [
    ['a 33-byte SSID', { ssid: 'x'.repeat(33), securityState: 'open' }, 400, 13631503],
    ['an SSID of 11 three-byte characters (33 bytes)', { ssid: '€'.repeat(11), securityState: 'open' }, 400, 13631503],
    ['an empty SSID', { ssid: '', securityState: 'open' }, 400, 13631496],
    ['an unknown securityState', { ssid: 'A', securityState: 'wep' }, 400, 13631496],
    ['a 7-character PSK', { ssid: 'A', securityState: 'psk', psk: '1234567' }, 400, 13631513],
    ['a 64-character PSK', { ssid: 'A', securityState: 'psk', psk: 'k'.repeat(64) }, 400, 13631504],
    ['a PSK network without a PSK', { ssid: 'A', securityState: 'psk' }, 400, 13631496],
    ['an open network with a PSK', { ssid: 'A', securityState: 'open', psk: '12345678' }, 400, 13631496],
    ['EAP-TLS without a client certificate id', { ssid: 'A', securityState: 'eaptls' }, 400, 13631512],
    ['a 17-character configName', { ssid: 'A', securityState: 'open', configName: 'n'.repeat(17) }, 400, 10485776],
    ['configState "temp-disabled"', { ssid: 'A', securityState: 'open', configState: 'temp-disabled' }, 400, 13631496],
    ['a non-boolean targetedScan', { ssid: 'A', securityState: 'open', targetedScan: 'yes' }, 400, 13631496],
  ];
  for (const [what, body, status, code] of invalidAdds) {
    it(`refuses ${what} with ${status} {"error":${code}} and stores nothing`, async () => {
      const reply = await post(board, body);
      assert.equal(reply.status, status);
      assert.deepEqual(reply.body, { error: code });
      assert.equal(board.state.wifi.networks.length, 0);
    });
  }

  it('refuses a duplicate network (409, 13631490) and a duplicate configName (409, 13631511)', async () => {
    await post(board, { ssid: 'A', securityState: 'open', configName: 'one' });
    const dup = await post(board, { ssid: 'A', securityState: 'open' });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body, { error: 13631490 });
    const dupName = await post(board, { ssid: 'B', securityState: 'open', configName: 'one' });
    assert.equal(dupName.status, 409);
    assert.deepEqual(dupName.body, { error: 13631511 });
  });

  it('gets one network; an unknown id is 404 {"error":13631491}', async () => {
    await post(board, { ssid: 'A', securityState: 'open' });
    const one = await get(board, '/wifi/config/networks/0');
    assert.deepEqual(one.body, { ssid: 'A', configState: 'enabled', connectionState: 'disconnected', id: 0, securityState: 'open', targetedScan: false });
    const missing = await get(board, '/wifi/config/networks/7');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: 13631491 });
    assert.equal((await del(board, '/wifi/config/networks/7')).status, 404);
  });

  it('PATCH disables and enables a network and changes its PSK; a short PSK is refused even for a missing network', async () => {
    await post(board, { ssid: 'HomeNetwork', securityState: 'psk', psk: 'wrong-key-1' });
    const disabled = await patch(board, '/wifi/config/networks/0', { configState: 'disabled' });
    assert.equal(disabled.status, 200);
    assert.deepEqual(disabled.body, { ssid: 'HomeNetwork', configState: 'disabled', connectionState: 'disconnected', id: 0, securityState: 'psk', targetedScan: false });
    assert.equal(board.state.wifi.networks[0].configState, 'disabled');
    const rekeyed = await patch(board, '/wifi/config/networks/0', { configState: 'enabled', psk: 'correct horse battery' });
    assert.equal((rekeyed.body as { configState: string }).configState, 'enabled');
    assert.equal(board.state.wifi.networks[0].psk, 'correct horse battery');
    const short = await patch(board, '/wifi/config/networks/5', { configState: 'enabled', psk: 'Test' });
    assert.equal(short.status, 400);
    assert.deepEqual(short.body, { error: 13631513 });
    const missing = await patch(board, '/wifi/config/networks/5', { configState: 'enabled' });
    assert.deepEqual([missing.status, missing.body], [404, { error: 13631491 }]);
    const bad = await patch(board, '/wifi/config/networks/0', { configState: 'sometimes' });
    assert.deepEqual([bad.status, bad.body], [400, { error: 13631496 }]);
  });

  it('fails every Wi-Fi endpoint with 500 {"error":13631506} while wlan0 is down, and works again when it is up', async () => {
    await post(board, { ssid: 'A', securityState: 'open' });
    assert.deepEqual((await patch(board, '/net/interfaces/wlan0', { interfaceUp: false })).body, {});
    const calls: [string, string, unknown?][] = [
      ['GET', '/wifi/config/networks'], ['POST', '/wifi/config/networks', { ssid: 'B', securityState: 'open' }],
      ['GET', '/wifi/config/networks/0'], ['PATCH', '/wifi/config/networks/0', { configState: 'disabled' }],
      ['DELETE', '/wifi/config/networks/0'], ['GET', '/wifi/interface'], ['PATCH', '/wifi/interface', { reloadConfig: true }],
      ['GET', '/wifi/scan'], ['GET', '/wifi/diagnostics/networks'], ['GET', '/wifi/diagnostics/networks/0'],
    ];
    for (const [method, path, body] of calls) {
      const reply = await callBoard(board, { method, path, body });
      assert.deepEqual([reply.status, reply.body], [500, { error: 13631506 }], `${method} ${path}`);
    }
    assert.equal(board.state.wifi.networks.length, 1, 'nothing changed while down');
    await patch(board, '/net/interfaces/wlan0', { interfaceUp: true });
    assert.equal((await get(board, '/wifi/config/networks')).status, 200);
  });

  it('scans the radio world: strongest first, reference fields, hidden SSIDs as "\\u0000"', async () => {
    const values = ((await get(board, '/wifi/scan')).body as { values: { ssid: string; signal_level: number }[] }).values;
    assert.ok(values.length >= 5);
    for (const entry of values) assert.deepEqual(Object.keys(entry), ['bssid', 'freq', 'signal_level', 'ssid', 'securityState']);
    assert.deepEqual(values.map((v) => v.signal_level), [...values.map((v) => v.signal_level)].sort((a, b) => b - a));
    assert.ok(values.some((v) => v.ssid === '\u0000'));
    assert.ok(!values.some((v) => v.ssid === 'LabHidden'));
  });

  it('shows the station interface idle, then connected with freq, ip_address and id once a network is joined', async () => {
    const idle = (await get(board, '/wifi/interface')).body as Record<string, unknown>;
    assert.equal(idle.mode, 'station');
    assert.equal(idle.connectionState, 'disconnected');
    assert.equal(idle.wpa_state, 'INACTIVE');
    assert.equal(idle.address, board.state.interfaces.wlan0.hardwareAddress);
    assert.equal(idle.powerSavingsState, 'disabled');
    await post(board, { ssid: 'HomeNetwork', securityState: 'psk', psk: 'correct horse battery', configName: 'home' });
    const joined = await waitFor(async () => {
      const view = (await get(board, '/wifi/interface')).body as Record<string, unknown>;
      return view.ip_address ? view : undefined;
    }, 'an address on HomeNetwork');
    assert.deepEqual(joined, {
      ssid: 'HomeNetwork', configState: 'enabled', connectionState: 'connected', securityState: 'psk', mode: 'station',
      key_mgmt: 'WPA2-PSK', wpa_state: 'COMPLETED', address: board.state.interfaces.wlan0.hardwareAddress, freq: 5220,
      ip_address: '192.168.1.77', id: 0, configName: 'home', powerSavingsState: 'disabled',
    });
    const listed = ((await get(board, '/wifi/config/networks')).body as { values: { connectionState: string }[] }).values;
    assert.equal(listed[0].connectionState, 'connected');
  });

  it('PATCH /wifi/interface sets power savings and reloads the configuration; bad values are 400', async () => {
    assert.deepEqual((await patch(board, '/wifi/interface', { enablePowerSavings: true })).body, {});
    assert.equal(((await get(board, '/wifi/interface')).body as { powerSavingsState: string }).powerSavingsState, 'enabled');
    assert.equal(board.state.wifi.powerSavings, true);
    assert.deepEqual((await patch(board, '/wifi/interface', { reloadConfig: true })).body, {});
    const bad = await patch(board, '/wifi/interface', { reloadConfig: 'yes' });
    assert.deepEqual([bad.status, bad.body], [400, { error: 13631496 }]);
  });
});
