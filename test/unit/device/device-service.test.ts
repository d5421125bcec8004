// Discovery and the device service: simulated boards announced in a registry dir appear and vanish as events within
// a second; boards on explicit ports and on USB (listing injected, since no USB hardware exists here; the port itself
// is a real pty with the simulator behind it) are reached with trust on first use; dispose leaves nothing open.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { promises as fs, readlinkSync, readdirSync, realpathSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard, type SimulatedBoard } from '../../../emulator/board/simulated-board';
import { DeviceService, type BoardDescriptor } from '../../../src/device/device-service';
import { MemoryPinStore } from '../../../src/device/trust/pin-store';
import { findUsbBoardPorts } from '../../../src/device/discovery/usb-boards';

function waitForEvent(service: DeviceService, event: 'attach' | 'detach', key: string, timeoutMs: number): Promise<BoardDescriptor> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      service.off(event, onEvent);
      reject(new Error(`no ${event} for ${key} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onEvent = (board: BoardDescriptor): void => {
      if (board.key !== key) return;
      clearTimeout(timer);
      service.off(event, onEvent);
      resolve(board);
    };
    service.on(event, onEvent);
  });
}

/** File descriptors of this process that refer to `devicePath`. */
function openDescriptorsOf(devicePath: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === devicePath;
    } catch {
      return false;
    }
  }).length;
}

/** Handles and timers (not one-off requests such as a pending close) that keep the process alive. */
function lastingResources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => !/Req/.test(r)).sort();
}

describe('device service', function () {
  this.timeout(30_000);
  let dir: string;
  let board: SimulatedBoard | undefined;
  let service: DeviceService | undefined;

  const startBoard = async (name = 'board'): Promise<SimulatedBoard> =>
    startSimulatedBoard({ linkPath: path.join(dir, `tty-${name}`), stateDir: path.join(dir, `state-${name}`), registryDir: path.join(dir, 'registry') });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'device-service-'));
  });
  afterEach(async () => {
    await service?.dispose();
    await board?.stop();
    service = undefined;
    board = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('raises attach and detach within 1 s as a simulated board appears, is unplugged, returns and stops', async () => {
    service = new DeviceService({ pinStore: new MemoryPinStore(), usb: false, osRoute: false, simulators: { registryDir: path.join(dir, 'registry') } });
    await service.start();
    assert.deepEqual(service.boards, []);

    // The device ID is only known once the board runs; listen for any attach.
    const attached = new Promise<{ board: BoardDescriptor; at: number }>((resolve) => service!.once('attach', (b: BoardDescriptor) => resolve({ board: b, at: Date.now() })));
    const startedAt = Date.now();
    board = await startBoard();
    const first = await attached;
    assert.ok(first.at - startedAt < 1_000, `attach after ${first.at - startedAt} ms`);
    assert.equal(first.board.kind, 'simulator');
    assert.equal(first.board.deviceId, board.deviceId);
    const key = first.board.key;

    const client = await service.client(key);
    assert.equal(await client.getDeviceId(), board.deviceId);

    let t = Date.now();
    const detached = waitForEvent(service, 'detach', key, 1_000);
    await board.unplug();
    await detached;
    assert.ok(Date.now() - t < 1_000);
    assert.deepEqual(service.boards, []);

    t = Date.now();
    const reattached = waitForEvent(service, 'attach', key, 1_000);
    await board.replug();
    await reattached;
    assert.ok(Date.now() - t < 1_000);
    // The same client object works again: the service reopened the port on demand.
    assert.ok((await client.getStatus()).uptimeSeconds < 5);

    const stopped = waitForEvent(service, 'detach', key, 1_000);
    await board.stop();
    board = undefined;
    await stopped;
  });

  it('leaves no port, timer or socket open after dispose', async () => {
    board = await startBoard();
    const device = realpathSync(board.linkPath);
    const resourcesBefore = lastingResources();
    const simulatorsOwn = openDescriptorsOf(device); // the simulator keeps a descriptor of its own pty
    service = new DeviceService({ pinStore: new MemoryPinStore(), usb: false, osRoute: false, simulators: { registryDir: path.join(dir, 'registry') } });
    await service.start();
    const [found] = service.boards;
    assert.ok(found);
    await (await service.client(found.key)).getStatus();
    assert.equal(openDescriptorsOf(device), simulatorsOwn + 1, 'the port is open while in use');
    await service.dispose();
    service = undefined;
    assert.equal(openDescriptorsOf(device), simulatorsOwn, 'the port is closed');
    await new Promise((r) => setTimeout(r, 50));
    const resourcesAfter = lastingResources();
    assert.deepEqual(resourcesAfter, resourcesBefore);
  });

  it('reaches a board on an explicit port with trust on first use, pinned under its device ID', async () => {
    board = await startBoard();
    const pins = new MemoryPinStore();
    service = new DeviceService({ pinStore: pins, usb: false, osRoute: false, simulators: false, ports: [{ path: board.linkPath, baudRate: 921600, rtscts: false }] });
    await service.start();
    const [found] = service.boards;
    assert.equal(found?.kind, 'explicit');
    assert.equal(found?.deviceId, undefined, 'nothing known before asking the board');
    const connection = await service.connection(found!.key);
    assert.equal(await connection.client.getDeviceId(), board.deviceId);
    assert.equal(connection.deviceId, board.deviceId);
    const pin = await pins.get(board.deviceId);
    assert.ok(pin);
    // The simulator presents its leaf alone, so the leaf (issued by the board's CA) is what gets pinned.
    const pinned = new X509Certificate(pin.certificatePem);
    const ca = new X509Certificate(board.caCertPem);
    assert.ok(pinned.fingerprint256 === ca.fingerprint256 || (pinned.checkIssued(ca) && pinned.verify(ca.publicKey)));
  });

  it('finds an FT4232H board on USB by its service interface and opens that port', async () => {
    board = await startBoard();
    const listing = [0, 1, 2, 3].map((i) => ({
      path: i === 2 ? board!.linkPath : `/dev/ttyUSB${i}`,
      vendorId: '0403',
      productId: '6011',
      serialNumber: 'FT1234',
      pnpId: `usb-MSFT_MT3620_Std_Interface_FT1234-if0${i}-port0`,
    }));
    service = new DeviceService({
      pinStore: new MemoryPinStore(),
      usb: { listPorts: async () => [...listing, { path: '/dev/ttyS0' }] },
      osRoute: false,
      simulators: false,
      rtscts: false,
    });
    await service.start();
    assert.deepEqual(service.boards.map((b) => [b.kind, b.portPath]), [['usb', board.linkPath]]);
    assert.equal(await (await service.client(`usb:${board.linkPath}`)).getDeviceId(), board.deviceId);
  });
});

describe('device service over the OS route', function () {
  this.timeout(30_000);

  it('lists a board the vendor service reports and reaches it through the OS network, verified against the CA file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'device-service-os-'));
    // The simulator also serves its REST API on loopback: it plays the board the vendor SDK connected. The vendor's
    // Device Communication Service cannot run here; a real HTTP server on loopback answers in its place.
    const board = await startSimulatedBoard({ linkPath: path.join(dir, 'tty'), stateDir: path.join(dir, 'state'), registryDir: path.join(dir, 'registry'), loopbackPort: 0 });
    const vendor = http.createServer((_req, res) => res.end(JSON.stringify([{ IpAddress: '192.168.35.2', DeviceConnectionPath: '1243' }])));
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    const dialled: string[] = [];
    const service = new DeviceService({
      pinStore: new MemoryPinStore(),
      caFile: board.caCertPath,
      usb: false,
      simulators: false,
      osRoute: {
        serviceUrl: `http://127.0.0.1:${(vendor.address() as AddressInfo).port}`,
        resolveEndpoint: (ip) => {
          dialled.push(ip);
          return { host: board.loopback!.host, port: board.loopback!.port };
        },
      },
    });
    try {
      await service.start();
      assert.deepEqual(service.boards.map((b) => [b.kind, b.key, b.ipAddress]), [['os-route', 'os:192.168.35.2', '192.168.35.2']]);
      const client = await service.client('os:192.168.35.2');
      assert.equal(await client.getDeviceId(), board.deviceId);
      assert.deepEqual(dialled, ['192.168.35.2']);
    } finally {
      await service.dispose();
      await new Promise<void>((resolve) => vendor.close(() => resolve()));
      await board.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('FT4232H service-port selection', () => {
  it('picks interface 2 per chip on Linux, Windows and macOS naming, and ignores other devices', () => {
    const linux = [0, 1, 2, 3].map((i) => ({ path: `/dev/ttyUSB${i + 4}`, vendorId: '0403', productId: '6011', serialNumber: 'AB', pnpId: `usb-FTDI-if0${i}-port0` }));
    const windows = ['A', 'B', 'C', 'D'].map((l, i) => ({ path: `COM${i + 7}`, vendorId: '0403', productId: '6011', serialNumber: `XY${l}` }));
    const mac = ['A', 'B', 'C', 'D'].map((l) => ({ path: `/dev/tty.usbserial-QQ${l}`, vendorId: '0403', productId: '6011' }));
    const other = [{ path: '/dev/ttyUSB9', vendorId: '0403', productId: '6001' }];
    assert.deepEqual(findUsbBoardPorts([...linux, ...windows, ...other]).map((p) => p.path), ['/dev/ttyUSB6', 'COM9']);
    assert.deepEqual(findUsbBoardPorts(mac).map((p) => p.path), ['/dev/tty.usbserial-QQC']);
  });
});
