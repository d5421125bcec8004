// The Wi-Fi station against the simulated radio world: wpa_state walks, addresses, and the diagnostics a failed
// connection leaves — observed through the REST API like the extension would, with the state sequence recorded.
import * as assert from 'node:assert/strict';
import type { AccessPoint, SimulatedBoard } from '../../../emulator/board';
import { generateP256KeyPair, issueCertificate } from '../../../emulator/board/certificates';
import { WifiStation, type WpaState } from '../../../emulator/board/wifi-station';
import { DEFAULT_RADIO_WORLD, validateRadioWorld } from '../../../emulator/board/radio';
import type { WifiNetworkRecord, CertRecord } from '../../../emulator/board/board-state';
import { BoardFixture, callBoard, get, waitFor } from '../../helpers/board-fixture';

const RADIO: AccessPoint[] = [
  { ssid: 'Home', bssid: '11:11:11:11:11:12', freq: 5220, signal: -40, security: 'psk', psk: 'sesame-open', leaseAddress: '192.168.7.20' },
  { ssid: 'Cafe', bssid: '11:11:11:11:11:13', freq: 2412, signal: -70, security: 'open', leaseAddress: '10.0.0.9', internet: false },
  { ssid: 'Corp', bssid: '11:11:11:11:11:14', freq: 5180, signal: -55, security: 'eaptls', leaseAddress: '172.16.0.4' },
  { ssid: 'Secret', bssid: '11:11:11:11:11:21', freq: 5745, signal: -60, security: 'psk', psk: 'hidden-key', hidden: true, leaseAddress: '10.9.9.9' },
];

/** Runs a bare station (no HTTP) and records every wpa_state it passes through. */
function stationWith(networks: WifiNetworkRecord[], certs: CertRecord[] = []) {
  const states: WpaState[] = [];
  const station = new WifiStation(RADIO, {
    networks: () => networks,
    certs: () => certs,
    wlanUp: () => true,
    uptimeSeconds: () => 42,
  }, { stepMs: 5, dhcpMs: 5, retryMs: 60_000 });
  station.on('change', (state: WpaState) => states.push(state));
  return { station, states };
}

const network = (fields: Partial<WifiNetworkRecord> & Pick<WifiNetworkRecord, 'ssid' | 'securityState'>): WifiNetworkRecord =>
  ({ id: 0, configState: 'enabled', targetedScan: false, ...fields });

function selfSignedPem(cn: string): { cert: string; key: string } {
  const { privateKey, publicKey } = generateP256KeyPair();
  const cert = issueCertificate({ subject: { CN: cn }, publicKey, signingKey: privateKey, notBefore: new Date(Date.now() - 1000), notAfter: new Date(Date.now() + 86_400_000), isCa: false });
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('board-sim Wi-Fi station in the radio world', () => {
  it('walks a PSK network through SCANNING → ASSOCIATING → ASSOCIATED → 4WAY → GROUP → COMPLETED and leases an address', async () => {
    const { station, states } = stationWith([network({ ssid: 'Home', securityState: 'psk', psk: 'sesame-open' })]);
    station.reevaluate();
    await waitFor(() => station.ipAddress, 'a lease');
    station.stop();
    assert.deepEqual(states, ['SCANNING', 'ASSOCIATING', 'ASSOCIATED', '4WAY_HANDSHAKE', 'GROUP_HANDSHAKE', 'COMPLETED']);
    assert.equal(station.ipAddress, '192.168.7.20');
    assert.equal(station.connectionStateOf(0), 'connected');
    assert.equal(station.connectedToInternet, true);
    assert.equal(station.timeSynced, true);
  });

  it('logs WrongKey for a wrong PSK after the 4-way handshake fails, and stays disconnected', async () => {
    const { station, states } = stationWith([network({ ssid: 'Home', securityState: 'psk', psk: 'not-the-key' })]);
    station.reevaluate();
    const entry = await waitFor(() => station.diagnosticsFor(0), 'a diagnostics entry');
    station.stop();
    assert.deepEqual(states.slice(0, 5), ['SCANNING', 'ASSOCIATING', 'ASSOCIATED', '4WAY_HANDSHAKE', 'DISCONNECTED']);
    assert.deepEqual(entry, {
      timestamp: '2000-01-01t00:00:42+0000', networkId: 0, ssid: 'Home', error: 'WrongKey', configState: 'enabled', connectionState: 'disconnected',
    });
    assert.equal(station.connectionStateOf(0), 'disconnected');
    assert.equal(station.ipAddress, undefined);
  });

  it('logs NetworkNotFound for an SSID nobody broadcasts, and for a hidden SSID without targetedScan', async () => {
    const { station } = stationWith([
      network({ id: 0, ssid: 'Nowhere', securityState: 'open' }),
      network({ id: 1, ssid: 'Secret', securityState: 'psk', psk: 'hidden-key' }),
    ]);
    station.reevaluate();
    await waitFor(() => station.diagnosticsFor(1), 'both entries');
    station.stop();
    assert.deepEqual(station.diagnosticsList().map((e) => [e.networkId, e.error]), [[0, 'NetworkNotFound'], [1, 'NetworkNotFound']]);
  });

  it('joins a hidden SSID with targetedScan', async () => {
    const { station } = stationWith([network({ ssid: 'Secret', securityState: 'psk', psk: 'hidden-key', targetedScan: true })]);
    station.reevaluate();
    assert.equal(await waitFor(() => station.ipAddress, 'a lease'), '10.9.9.9');
    station.stop();
  });

  it('logs SecurityTypeMismatch when the configured security differs from the access point', async () => {
    const { station } = stationWith([network({ ssid: 'Cafe', securityState: 'psk', psk: '12345678' })]);
    station.reevaluate();
    assert.equal((await waitFor(() => station.diagnosticsFor(0), 'an entry')).error, 'SecurityTypeMismatch');
    station.stop();
  });

  it('fails EAP-TLS with AuthenticationFailed + certInfo CertificateNotFound when the client certificate is missing, and joins once it is there', async () => {
    const eap = network({ ssid: 'Corp', securityState: 'eaptls', clientCertStoreIdentifier: 'corp-client' });
    const certs: CertRecord[] = [];
    const { station } = stationWith([eap], certs);
    station.reevaluate();
    const entry = await waitFor(() => station.diagnosticsFor(0), 'an entry');
    assert.equal(entry.error, 'AuthenticationFailed');
    assert.deepEqual(entry.certInfo, { certSubject: '', certDepth: 0, certError: 'CertificateNotFound' });
    const { cert, key } = selfSignedPem('corp-client');
    certs.push({ id: 'corp-client', certType: 'client', publicCert: cert, privateKey: key });
    station.reload();
    assert.equal(await waitFor(() => station.ipAddress, 'a lease'), '172.16.0.4');
    station.stop();
  });

  it('skips a failing network and joins the next enabled one; an open network without internet leaves time unsynced', async () => {
    const { station } = stationWith([
      network({ id: 0, ssid: 'Home', securityState: 'psk', psk: 'wrong-key-0' }),
      network({ id: 1, ssid: 'Cafe', securityState: 'open' }),
    ]);
    station.reevaluate();
    await waitFor(() => station.ipAddress, 'a lease');
    station.stop();
    assert.equal(station.current?.network.id, 1);
    assert.equal(station.diagnosticsFor(0)?.error, 'WrongKey');
    assert.equal(station.connectedToInternet, false);
    assert.equal(station.timeSynced, false);
  });

  describe('through the REST API', () => {
    const fixture = new BoardFixture();
    let board: SimulatedBoard;
    before(async () => {
      board = await fixture.start('radio', { radio: RADIO });
    });
    after(() => fixture.cleanup());

    it('shows the join in /wifi/interface, /net/interfaces/wlan0 and /net/status, and the failure in /wifi/diagnostics', async () => {
      const status = (await get(board, '/net/status')).body;
      assert.deepEqual(status, { deviceAuthenticationIsReady: false, networkTimeSync: 'incomplete', proxy: 'disabled' });
      await callBoard(board, { method: 'POST', path: '/wifi/config/networks', body: { ssid: 'Home', securityState: 'psk', psk: 'bad-key-123' } });
      const entries = await waitFor(async () => {
        const values = ((await get(board, '/wifi/diagnostics/networks')).body as { values: unknown[] }).values;
        return values.length > 0 ? values : undefined;
      }, 'a diagnostics entry');
      assert.deepEqual((entries[0] as { error: string }).error, 'WrongKey');
      assert.match((entries[0] as { timestamp: string }).timestamp, /^2000-01-01t\d\d:\d\d:\d\d\+0000$/);
      assert.deepEqual((await get(board, '/wifi/diagnostics/networks/0')).body, entries[0]);

      await callBoard(board, { method: 'PATCH', path: '/wifi/config/networks/0', body: { psk: 'sesame-open' } });
      const wlan = await waitFor(async () => {
        const view = (await get(board, '/net/interfaces/wlan0')).body as { ipAcquired: boolean };
        return view.ipAcquired ? view : undefined;
      }, 'wlan0 to get an address');
      assert.deepEqual(wlan, {
        interfaceName: 'wlan0', interfaceUp: true, connectedToNetwork: true, ipAcquired: true, connectedToInternet: true,
        ipAddresses: ['192.168.7.20'], hardwareAddress: board.state.interfaces.wlan0.hardwareAddress, ipAssignment: 'dynamic',
      });
      // Online and synced, but this board has no cloud to attest to, so no device certificate (daily-attestation.test.ts).
      assert.deepEqual((await get(board, '/net/status')).body, { deviceAuthenticationIsReady: false, networkTimeSync: 'complete', proxy: 'disabled' });

      // Disabling the network drops the connection.
      await callBoard(board, { method: 'PATCH', path: '/wifi/config/networks/0', body: { configState: 'disabled' } });
      const idle = (await get(board, '/wifi/interface')).body as { wpa_state: string; connectionState: string };
      assert.deepEqual([idle.wpa_state, idle.connectionState], ['INACTIVE', 'disconnected']);
    });

    it('drops the connection when wlan0 goes down (INTERFACE_DISABLED) and rejoins when it comes back up', async () => {
      await callBoard(board, { method: 'PATCH', path: '/wifi/config/networks/0', body: { configState: 'enabled' } });
      await waitFor(async () => ((await get(board, '/wifi/interface')).body as { ip_address?: string }).ip_address, 'a lease');
      await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: false } });
      const down = (await get(board, '/net/interfaces/wlan0')).body as Record<string, unknown>;
      assert.deepEqual([down.interfaceUp, down.connectedToNetwork, down.ipAddresses], [false, false, []]);
      await callBoard(board, { method: 'PATCH', path: '/net/interfaces/wlan0', body: { interfaceUp: true } });
      await waitFor(async () => ((await get(board, '/wifi/interface')).body as { ip_address?: string }).ip_address, 'a lease again');
    });
  });

  it('accepts the default world and refuses a malformed one, naming the access point and the field', async () => {
    assert.equal(validateRadioWorld([...DEFAULT_RADIO_WORLD]).length, DEFAULT_RADIO_WORLD.length);
    const good = RADIO[0];
    assert.throws(() => validateRadioWorld({}), /must be an array/);
    assert.throws(() => validateRadioWorld([good, { ...good, bssid: 'nope' }]), /access point #1 \(Home\): bssid/);
    assert.throws(() => validateRadioWorld([{ ...good, security: 'wep' }]), /security must be open, psk or eaptls/);
    assert.throws(() => validateRadioWorld([{ ...good, psk: 'short' }]), /psk of 8-63 characters/);
    assert.throws(() => validateRadioWorld([{ ...good, leaseAddress: '300.1.1.1' }]), /leaseAddress/);
    const fixture = new BoardFixture();
    await assert.rejects(fixture.start('bad-radio', { radio: [{ ...good, freq: -1 }] }), /freq must be MHz/);
    await fixture.cleanup();
  });
});
