// The device REST client against the board simulator over a real pty, serialport, our SLIP/TCP stack and TLS.
// Every endpoint the extension uses, the mapping of device errors, and every validation error (proved unsent by the
// simulator's byte and request counters).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateP256KeyPair, issueCertificate } from '../../../emulator/board/certificates';
import { DeviceError, isDeviceError } from '../../../src/device/device-error';
import type { DeviceRestClient } from '../../../src/device/rest/device-rest-client';
import { startSimHarness, type SimHarness } from '../../helpers/sim-board';
import { makeCa } from '../../helpers/test-pki';
import { appPackageOfSize } from '../../helpers/app-packages';

const YEAR_MS = 365 * 24 * 3600 * 1000;

function clientCertificate(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateP256KeyPair();
  const certPem = issueCertificate({
    subject: { CN: 'wifi-client' },
    publicKey,
    signingKey: privateKey,
    notBefore: new Date(Date.now() - YEAR_MS),
    notAfter: new Date(Date.now() + YEAR_MS),
    isCa: false,
    extendedKeyUsage: ['clientAuth'],
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('device REST client (simulated board over a pty)', function () {
  this.timeout(30_000);
  let sim: SimHarness;
  let client: DeviceRestClient;

  before(async () => {
    sim = await startSimHarness({ wifiTiming: { stepMs: 20, dhcpMs: 20, retryMs: 200 } });
    client = sim.connection.client;
  });
  after(async () => {
    await sim?.close();
  });

  describe('status and identity', () => {
    it('reads uptime and the REST-API-Version header', async () => {
      const status = await client.getStatus();
      assert.ok(status.uptimeSeconds >= 0 && status.uptimeSeconds < 60);
      assert.equal(status.restApiVersion, '4.6.0');
    });

    it('reads the OS version, security state (device ID) and capabilities', async () => {
      assert.equal(await client.getOsVersion(), sim.board.state.osVersion);
      const security = await client.getSecurityState();
      assert.equal(security.deviceIdentifier, sim.board.deviceId);
      assert.equal(security.securityState, 'SECURE');
      assert.equal(await client.getDeviceId(), sim.board.deviceId);
      assert.deepEqual(await client.getCapabilities(), [...sim.board.state.capabilities]);
    });

    it('reuses one TLS connection for many requests', async () => {
      const before = sim.board.counters().net?.connectionsOpen;
      for (let i = 0; i < 5; i++) await client.getStatus();
      assert.equal(sim.board.counters().net?.connectionsOpen, before);
    });
  });

  describe('Wi-Fi networks', () => {
    it('adds open, PSK and EAP-TLS networks, lists, gets, disables, enables and forgets them', async () => {
      const open = await client.addWifiNetwork({ ssid: 'CoffeeShop', security: 'open' });
      assert.equal(open.ssid, 'CoffeeShop');
      assert.equal(open.securityState, 'open');
      const psk = await client.addWifiNetwork({ ssid: 'HomeNetwork', security: 'psk', psk: 'correct horse battery', configName: 'home', targetedScan: true });
      assert.equal(psk.securityState, 'psk');
      assert.equal(psk.configName, 'home');
      assert.equal(psk.targetedScan, true);
      assert.equal((psk as unknown as Record<string, unknown>).psk, undefined, 'the board never returns the key');

      const { certPem, keyPem } = clientCertificate();
      await client.addClientCertificate({ id: 'wifi-client', publicCertPem: certPem, privateKeyPem: keyPem });
      await client.addRootCaCertificate('corp-root', makeCa('Contoso Root').certPem);
      const eap = await client.addWifiNetwork({
        ssid: 'Contoso-Corp',
        security: 'eaptls',
        clientCertId: 'wifi-client',
        clientIdentity: 'user@contoso.com',
        rootCaCertId: 'corp-root',
        enabled: false,
      });
      assert.equal(eap.securityState, 'eaptls');
      assert.equal(eap.configState, 'disabled');

      const listed = await client.listWifiNetworks();
      assert.deepEqual(listed.map((n) => n.ssid), ['CoffeeShop', 'HomeNetwork', 'Contoso-Corp']);
      assert.deepEqual(sim.board.state.wifi.networks.map((n) => n.ssid), ['CoffeeShop', 'HomeNetwork', 'Contoso-Corp']);
      assert.equal(sim.board.state.wifi.networks[1]!.psk, 'correct horse battery');
      assert.equal((await client.getWifiNetwork(psk.id)).ssid, 'HomeNetwork');

      assert.equal((await client.setWifiNetworkEnabled(psk.id, false)).configState, 'disabled');
      assert.equal(sim.board.state.wifi.networks.find((n) => n.id === psk.id)?.configState, 'disabled');
      assert.equal((await client.setWifiNetworkEnabled(psk.id, true)).configState, 'enabled');

      await client.forgetWifiNetwork(open.id);
      assert.deepEqual((await client.listWifiNetworks()).map((n) => n.ssid), ['HomeNetwork', 'Contoso-Corp']);
      await client.forgetWifiNetwork(eap.id);
      await client.deleteCertificate('wifi-client');
      await client.deleteCertificate('corp-root');
    });

    it('maps a device error to its message, HTTP status and code', async () => {
      await assert.rejects(client.getWifiNetwork(99), (err: unknown) => {
        assert.ok(isDeviceError(err, 'DEVICE_ERROR'));
        assert.equal(err.httpStatus, 404);
        assert.equal(err.deviceError, 13631491);
        assert.equal(err.message, 'ERROR: This resource is unavailable on this device. Network not found. Is your device up to date?');
        return true;
      });
    });

    it('reads the Wi-Fi interface, reloads its configuration, scans and reads diagnostics', async () => {
      const wifi = await client.getWifiInterface();
      assert.equal(wifi.mode, 'station');
      assert.match(wifi.address ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      await client.reloadWifiConfig();
      const scan = await client.scanWifi();
      assert.ok(scan.some((ap) => ap.ssid === 'HomeNetwork' && ap.securityState === 'psk'));
      // Only a network with the wrong key is configured, so the station tries it and logs why it failed.
      for (const n of await client.listWifiNetworks()) await client.forgetWifiNetwork(n.id);
      const wrong = await client.addWifiNetwork({ ssid: 'Neighbour-2G', security: 'psk', psk: 'wrong-key-123' });
      const deadline = Date.now() + 5_000;
      let entries = await client.getWifiDiagnostics();
      while (!entries.some((e) => e.networkId === wrong.id) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        entries = await client.getWifiDiagnostics();
      }
      const entry = entries.find((e) => e.networkId === wrong.id);
      assert.ok(entry, 'a diagnostics entry for the network with the wrong key');
      assert.equal(entry.ssid, 'Neighbour-2G');
      assert.equal(entry.error, 'WrongKey');
      const [single] = await client.getWifiDiagnostics(wrong.id);
      assert.equal(single?.networkId, wrong.id);
      await client.forgetWifiNetwork(wrong.id);
    });
  });

  describe('network interfaces and status', () => {
    it('lists and reads interfaces, takes wlan0 down and up, reads network status', async () => {
      const names = (await client.listNetworkInterfaces()).map((i) => i.interfaceName);
      assert.ok(names.includes('wlan0') && names.includes('azspheresvc'));
      assert.deepEqual((await client.getNetworkInterface('azspheresvc')).ipAddresses, ['192.168.35.2']);
      await client.setNetworkInterfaceUp('wlan0', false);
      assert.equal((await client.getNetworkInterface('wlan0')).interfaceUp, false);
      await assert.rejects(client.listWifiNetworks(), (err: unknown) => isDeviceError(err) && err.deviceError === 13631506 && /Wi-Fi interface is disabled/.test(err.message));
      await client.setNetworkInterfaceUp('wlan0', true);
      assert.equal((await client.getNetworkInterface('wlan0')).interfaceUp, true);
      const status = await client.getNetworkStatus();
      assert.equal(typeof status.deviceAuthenticationIsReady, 'boolean');
      assert.match(status.networkTimeSync, /^(complete|incomplete|disabled)$/);
    });

    it('reports an unknown interface with the device message', async () => {
      await assert.rejects(client.getNetworkInterface('eth9'), (err: unknown) => isDeviceError(err, 'DEVICE_ERROR') && err.deviceError !== undefined);
    });
  });

  describe('certificate store', () => {
    it('adds client and root CA certificates, lists, shows, reports free space and deletes', async () => {
      const free = await client.getCertificateSpace();
      const { certPem, keyPem } = clientCertificate();
      await client.addClientCertificate({ id: 'client.1', publicCertPem: certPem, privateKeyPem: keyPem });
      await client.addRootCaCertificate('root_1', makeCa('Test Root').certPem);
      assert.deepEqual(await client.listCertificates(), ['client.1', 'root_1']);
      const shown = await client.getCertificate('root_1');
      assert.equal(shown.id, 'root_1');
      assert.match(shown.subjectName, /CN=Test Root/);
      assert.ok((await client.getCertificateSpace()) < free);
      await client.deleteCertificate('client.1');
      await client.deleteCertificate('root_1');
      assert.deepEqual(await client.listCertificates(), []);
      assert.equal(await client.getCertificateSpace(), free);
    });

    it('maps a missing certificate to the device message', async () => {
      await assert.rejects(client.getCertificate('nope'), (err: unknown) => isDeviceError(err) && err.deviceError === 38797319 && /No certificate with that identifier/.test(err.message));
    });
  });

  describe('sideloading', () => {
    it('streams an image package to PUT /update/stage and reports progress', async () => {
      const image = appPackageOfSize('2f074b0f-d99d-4692-82d9-ef93a7d6463c', 200 * 1024);
      const progress: number[] = [];
      await client.stageUpdate(image, (sent) => progress.push(sent));
      const staged = sim.board.state.stagedImage;
      assert.equal(staged?.bytes, image.length);
      assert.equal(staged?.sha256, createHash('sha256').update(image).digest('hex'));
      assert.equal(progress.at(-1), image.length);
    });
  });

  describe('validation before sending', () => {
    const cases: [string, (c: DeviceRestClient) => Promise<unknown>, string, RegExp][] = [
      ['empty SSID', (c) => c.addWifiNetwork({ ssid: '', security: 'open' }), 'ssid', /SSID must not be empty/],
      ['33-byte SSID', (c) => c.addWifiNetwork({ ssid: 'x'.repeat(33), security: 'open' }), 'ssid', /33 bytes long; the maximum is 32/],
      ['SSID of 11 three-byte characters', (c) => c.addWifiNetwork({ ssid: '€'.repeat(11), security: 'open' }), 'ssid', /33 bytes/],
      ['7-character PSK', (c) => c.addWifiNetwork({ ssid: 'a', security: 'psk', psk: 'short12' }), 'psk', /7 characters long; it must be 8–63/],
      ['64-character non-hex PSK', (c) => c.addWifiNetwork({ ssid: 'a', security: 'psk', psk: 'g'.repeat(64) }), 'psk', /64 characters long/],
      ['PSK with a non-ASCII character', (c) => c.addWifiNetwork({ ssid: 'a', security: 'psk', psk: 'pässwort-secret' }), 'psk', /printable ASCII/],
      ['17-character config name', (c) => c.addWifiNetwork({ ssid: 'a', security: 'open', configName: 'c'.repeat(17) }), 'configName', /17 characters long; the maximum is 16/],
      ['bad EAP-TLS client cert id', (c) => c.addWifiNetwork({ ssid: 'a', security: 'eaptls', clientCertId: 'bad id' }), 'clientCertId', /may only contain letters, digits and \. - _/],
      ['17-character cert id', (c) => c.addRootCaCertificate('a'.repeat(17), makeCa().certPem), 'id', /17 characters long; it must be 1–16/],
      ['cert id with a slash', (c) => c.deleteCertificate('../x'), 'id', /may only contain/],
      ['empty cert id', (c) => c.getCertificate(''), 'id', /must not be empty/],
      ['PEM over 8192 bytes', (c) => c.addRootCaCertificate('big', '-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(8200) + '\n-----END CERTIFICATE-----\n'), 'publicCert', /maximum is 8192 bytes/],
      ['not a PEM', (c) => c.addRootCaCertificate('x', 'hello'), 'publicCert', /not in PEM format/],
      ['client cert without a PEM key', (c) => c.addClientCertificate({ id: 'x', publicCertPem: makeCa().certPem, privateKeyPem: 'secret-key-text' }), 'privateKey', /Private key is not in PEM format/],
      ['negative network id', (c) => c.getWifiNetwork(-1), 'id', /whole number/],
      ['bad interface name', (c) => c.setNetworkInterfaceUp('wlan0/../x', true), 'interfaceName', /Interface name/],
      ['empty image', (c) => c.stageUpdate(Buffer.alloc(0)), 'image', /empty/],
    ];
    for (const [what, call, field, message] of cases) {
      it(`rejects ${what} without sending anything`, async () => {
        await client.getStatus(); // connection established, so any request would show up in the counters
        const before = sim.board.counters().restRequests;
        await assert.rejects(call(client), (err: unknown) => {
          assert.ok(err instanceof DeviceError && err.code === 'INVALID_INPUT', String(err));
          assert.equal(err.field, field);
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /pässwort-secret|secret-key-text/);
          return true;
        });
        await new Promise((r) => setTimeout(r, 20));
        assert.equal(sim.board.counters().restRequests, before);
      });
    }
  });

  it('never writes a PSK into logs or error messages', async () => {
    await client.setNetworkInterfaceUp('wlan0', false);
    try {
      await assert.rejects(client.addWifiNetwork({ ssid: 'HomeNetwork', security: 'psk', psk: 'correct horse battery' }), (err: unknown) => {
        assert.ok(isDeviceError(err, 'DEVICE_ERROR'));
        assert.doesNotMatch(err.message, /correct horse/);
        return true;
      });
    } finally {
      await client.setNetworkInterfaceUp('wlan0', true);
    }
    assert.ok(sim.logs.length > 0);
    assert.ok(!sim.logs.some((line) => line.includes('correct horse')));
  });
});
