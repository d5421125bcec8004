import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WifiInterfaceStatus, WifiNetwork, WifiScanResult } from '../../src/device';
import { TYPE_NETWORK_LABEL } from '../../src/boards/add-wifi-flow';
import { NO_BOARD_MESSAGE } from '../../src/boards/board-picker';
import { devicePerson, eventually, extensionApi, startTestBoard, type ExtensionApi, type TestBoard } from './devices-harness';
import type { ScriptedPerson } from './person';

const HOME_KEY = 'correct horse battery'; // the simulator's default radio world (emulator/board/radio.ts)

describe('Wi-Fi Networks: the selected simulated board, changed from the editor', () => {
  let api: ExtensionApi;
  let tb: TestBoard;
  let person: ScriptedPerson;
  const key = () => `sim:${tb.board.deviceId.toLowerCase()}`;
  const view = () => api.renderView('sphereExplorer.wifi', 1);
  const networks = () => tb.board.state.wifi.networks;
  const status = () => vscode.commands.executeCommand<WifiInterfaceStatus>('sphereExplorer.showWifiStatus');

  before(async () => {
    api = await extensionApi();
    tb = await startTestBoard('wifi-board');
    person = devicePerson();
    await vscode.commands.executeCommand('sphereExplorer.refreshDevices');
    await vscode.commands.executeCommand('sphereExplorer.selectBoard', { boardKey: key() });
  });
  afterEach(() => person.assertDone());
  after(async () => {
    person?.restore();
    await tb?.close();
  });

  it('shows that no network is configured yet', async () => {
    await eventually(view, (l) => l.length === 1 && l[0] === '$(add) Add a Wi-Fi network… — none configured yet', 'the empty-list node');
  });

  it('adds a WPA2-PSK network typed into the input boxes; the key box hides what is typed; the board stores it and connects', async () => {
    person.willPick(TYPE_NETWORK_LABEL, 'WPA2-PSK');
    person.willType('HomeNetwork', HOME_KEY);
    const added = await vscode.commands.executeCommand<WifiNetwork>('sphereExplorer.addWifiNetwork');
    assert.equal(added.ssid, 'HomeNetwork');
    assert.deepEqual(person.hidden, [false, true], 'the SSID is shown as typed, the key is not');
    assert.deepEqual(
      networks().map((n) => ({ ssid: n.ssid, security: n.securityState, config: n.configState, psk: n.psk })),
      [{ ssid: 'HomeNetwork', security: 'psk', config: 'enabled', psk: HOME_KEY }],
    );
    await eventually(view, (l) => l.some((x) => x === '$(radio-tower) HomeNetwork — connected · WPA2-PSK'), 'the network shown connected');
    const s = await status();
    assert.equal(s.connectionState, 'connected');
    assert.equal(s.key_mgmt, 'WPA2-PSK');
    assert.ok(s.ip_address, 'an address was leased');
    // The key reached the board and nothing else the person sees.
    for (const text of [...person.info, ...person.errors, ...person.prompts]) assert.ok(!text.includes(HOME_KEY), `the key leaked into: ${text}`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('sphereExplorer')).includes(HOME_KEY), 'the key is in a setting');
  });

  it('refuses a 33-byte SSID as it is typed, with the specific message, and sends nothing', async () => {
    const before = networks();
    let requestsAtInput: number | undefined;
    person.onInputBox = () => (requestsAtInput ??= tb.board.counters().restRequests);
    person.willPick(TYPE_NETWORK_LABEL);
    person.willType('S'.repeat(33));
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    person.onInputBox = undefined;
    assert.equal(person.validation.at(-1), 'SSID is 33 bytes long; the maximum is 32 bytes (UTF-8).');
    assert.equal(tb.board.counters().restRequests, requestsAtInput, 'nothing sent after the SSID box');
    assert.deepEqual(networks(), before);
  });

  it('refuses a 7-character key as it is typed, with the specific message, and sends nothing', async () => {
    const before = networks();
    let requestsAtInput: number | undefined;
    person.onInputBox = () => (requestsAtInput ??= tb.board.counters().restRequests);
    person.willPick(TYPE_NETWORK_LABEL, 'WPA2-PSK');
    person.willType('Neighbour-2G', 'short77');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    person.onInputBox = undefined;
    assert.equal(person.validation.at(-1), 'PSK is 7 characters long; it must be 8–63 characters (or 64 hex digits).');
    assert.equal(tb.board.counters().restRequests, requestsAtInput, 'nothing sent after the first input box');
    assert.deepEqual(networks(), before);
    assert.ok(!person.validation.some((m) => m.includes('short77')), 'the message does not quote the key');
  });

  it('adds an open network picked from the scan, asking no key', async () => {
    person.willPick('$(radio-tower) CoffeeShop');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    assert.deepEqual(networks().map((n) => [n.ssid, n.securityState, n.psk]), [['HomeNetwork', 'psk', HOME_KEY], ['CoffeeShop', 'open', undefined]]);
    await eventually(view, (l) => l.some((x) => x.startsWith('$(circle-large-outline) CoffeeShop — enabled · Open')), 'CoffeeShop enabled, not connected');
  });

  it('disables the connected network from its node (the board moves to another) and enables it again from the palette; the tree follows', async () => {
    const home = networks().find((n) => n.ssid === 'HomeNetwork')!;
    await vscode.commands.executeCommand('sphereExplorer.disableWifiNetwork', { boardKey: key(), networkId: home.id });
    assert.equal(networks().find((n) => n.id === home.id)?.configState, 'disabled');
    await eventually(view, (l) => l.some((x) => x === '$(circle-slash) HomeNetwork — disabled · WPA2-PSK'), 'HomeNetwork shown disabled');
    // The board moves on to the other enabled network in range, and the tree follows it there.
    await eventually(view, (l) => l.some((x) => x === '$(radio-tower) CoffeeShop — connected · Open'), 'CoffeeShop connected');

    person.willPick('HomeNetwork'); // the palette offers only networks that are not enabled
    await vscode.commands.executeCommand('sphereExplorer.enableWifiNetwork');
    assert.equal(networks().find((n) => n.id === home.id)?.configState, 'enabled');
    // Like wpa_supplicant, the board stays on the network it is connected to: HomeNetwork is enabled, not joined.
    await eventually(view, (l) => l.some((x) => x === '$(circle-large-outline) HomeNetwork — enabled · WPA2-PSK'), 'HomeNetwork enabled again');
  });

  it('scans with progress and lists the access points in range', async () => {
    person.willPick(undefined); // looks at the list, connects to nothing
    const scan = await vscode.commands.executeCommand<WifiScanResult[]>('sphereExplorer.scanWifi');
    assert.ok(scan.some((ap) => ap.ssid === 'HomeNetwork' && ap.securityState === 'psk'), JSON.stringify(scan));
  });

  it('shows diagnostics and reloads the configuration', async () => {
    const entries = await vscode.commands.executeCommand<unknown[]>('sphereExplorer.showWifiDiagnostics');
    assert.ok(Array.isArray(entries));
    await vscode.commands.executeCommand('sphereExplorer.reloadWifiConfig');
    assert.match(person.info.at(-1) ?? '', /reloaded its Wi-Fi configuration/);
  });

  it('forgets a network only after the modal confirmation', async () => {
    const coffee = networks().find((n) => n.ssid === 'CoffeeShop')!;
    person.willAnswer(undefined);
    await vscode.commands.executeCommand('sphereExplorer.forgetWifiNetwork', { boardKey: key(), networkId: coffee.id });
    assert.ok(networks().some((n) => n.id === coffee.id), 'cancelled: kept');
    person.willPick('CoffeeShop');
    person.willAnswer('Forget');
    await vscode.commands.executeCommand('sphereExplorer.forgetWifiNetwork');
    assert.deepEqual(networks().map((n) => n.ssid), ['HomeNetwork']);
    await eventually(view, (l) => !l.some((x) => x.includes('CoffeeShop')), 'CoffeeShop gone from the tree');
  });

  it('asks an EAP-TLS network for its certificate ids, refusing an invalid id as it is typed', async () => {
    person.willPick(TYPE_NETWORK_LABEL, 'EAP-TLS');
    person.willType('Contoso-Corp', 'corp client');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    assert.equal(person.validation.at(-1), 'Certificate identifier may only contain letters, digits and . - _ characters.');
    assert.deepEqual(networks().map((n) => n.ssid), ['HomeNetwork']);

    person.willPick(TYPE_NETWORK_LABEL, 'EAP-TLS');
    person.willType('Contoso-Corp', 'corp-client', 'device@contoso.com', '');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    const corp = networks().find((n) => n.ssid === 'Contoso-Corp');
    assert.deepEqual(
      { security: corp?.securityState, client: corp?.clientCertStoreIdentifier, identity: corp?.clientIdentity, root: corp?.rootCaCertStoreIdentifier },
      { security: 'eaptls', client: 'corp-client', identity: 'device@contoso.com', root: undefined },
    );
    await eventually(view, (l) => l.some((x) => x.includes('Contoso-Corp — ') && x.includes('EAP-TLS')), 'Contoso-Corp in the tree');
  });

  it('adds a hidden network typed by name (not in the scan) with a targeted scan, a network in range without', async () => {
    person.willPick(TYPE_NETWORK_LABEL, 'WPA2-PSK');
    person.willType('LabHidden', 'hidden-lab-key');
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    const byName = Object.fromEntries(networks().map((n) => [n.ssid, n.targetedScan]));
    assert.deepEqual(byName, { HomeNetwork: false, 'Contoso-Corp': false, LabHidden: true });
  });

  it('with wlan0 down the view says Wi-Fi is off and offers to turn it on; the indicator\'s quick actions turn it on', async () => {
    await vscode.commands.executeCommand('sphereExplorer.disableNetworkInterface', { boardKey: key(), interfaceName: 'wlan0' });
    await eventually(view, (l) => l.length === 1 && l[0] === '$(circle-slash) Wi-Fi is off — wlan0 is down — click to turn it on', 'the Wi-Fi-off node');
    person.willPick('$(plug) Turn Wi-Fi on');
    await vscode.commands.executeCommand('sphereExplorer.wifiQuickActions');
    assert.equal(tb.board.state.interfaces.wlan0.up, true);
    await eventually(view, (l) => l.some((x) => x.includes('HomeNetwork')), 'the networks listed again');
  });

  it('with no board attached: the view empties (welcome shows) and Wi-Fi commands say so without sending anything', async () => {
    await tb.board.unplug();
    await eventually(view, (l) => l.length === 0, 'an empty Wi-Fi view');
    const errors = person.errors.length;
    await vscode.commands.executeCommand('sphereExplorer.addWifiNetwork');
    await vscode.commands.executeCommand('sphereExplorer.disableWifiNetwork');
    assert.deepEqual(person.errors.slice(errors), [NO_BOARD_MESSAGE, NO_BOARD_MESSAGE]);
    await tb.board.replug();
  });
});
