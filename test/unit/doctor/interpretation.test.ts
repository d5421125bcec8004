// How the doctor reads what it finds: port errors, FTDI listings, line counters, routing tables, the vendor service.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { classifyOpenError, openErrorAdvice } from '../../../src/device/diagnosis/open-errors';
import { describeFtdiPorts } from '../../../src/device/diagnosis/port-check';
import { CORRUPTION_FAIL_RATE, concludeLine, readLine } from '../../../src/device/diagnosis/line-check';
import type { LineProbe } from '../../../src/device/diagnosis/line-probe';
import { parseProcNetRoute, routesFor } from '../../../src/device/diagnosis/routes';
import { checkOsRoute } from '../../../src/device/diagnosis/os-route-check';
import { quickOptions } from '../../helpers/doctor';
import type { DoctorTarget } from '../../../src/device/diagnosis';
import { testSeed } from '../../helpers/test-seed';

const probe = (p: Partial<LineProbe>): LineProbe => ({
  baudRate: 921600, echoesSent: 5, rttsMs: [1, 1, 1, 1, 1], firstReplyMs: 1, waitedMs: 10,
  bytesIn: 440, framesIn: 5, slipErrors: 0, checksumErrors: 0, malformed: 0, ...p,
});

const noContext = { answeringBaud: undefined, triedRates: [], simulated: false };

describe('doctor: interpreting what it finds', () => {
  describe('opening a port', () => {
    // Real errors as serialport's Linux binding words them (EACCES cannot be produced here: the tests run as root).
    it('tells permission, lock and missing apart by the binding\'s wording', () => {
      assert.equal(classifyOpenError(new Error('Error: Permission denied, cannot open /dev/ttyUSB2')), 'permission');
      assert.equal(classifyOpenError(new Error('Error Resource temporarily unavailable Cannot lock port')), 'busy');
      assert.equal(classifyOpenError(Object.assign(new Error('open'), { code: 'EBUSY' })), 'busy');
      assert.equal(classifyOpenError(new Error('Error: No such file or directory, cannot open /dev/ttyUSB9')), 'missing');
      assert.equal(classifyOpenError(new Error('Error: Input/output error')), 'other');
    });

    it('on Linux, permission denied names the owning group and the usermod line', () => {
      const advice = openErrorAdvice(new Error('Error: Permission denied, cannot open /dev/ttyUSB2'), '/dev/ttyUSB2', 'linux', { userGroups: ['avery', 'sudo'], deviceGroup: 'dialout' });
      assert.match(advice.nextAction, /sudo usermod -aG dialout \$USER`, then log out and back in/);
      assert.ok(advice.details.some((d) => d.includes('your groups: avery, sudo')));
      const uucp = openErrorAdvice(new Error('EACCES'), '/dev/ttyUSB2', 'linux', { userGroups: [], deviceGroup: 'uucp' });
      assert.match(uucp.nextAction, /-aG uucp/);
    });
  });

  describe('FTDI listing', () => {
    const chip = (n: number) => ({ path: `/dev/ttyUSB${n}`, vendorId: '0403', productId: '6011', serialNumber: 'FT1234', pnpId: `usb-FTDI_Quad_RS232-HS-if0${n}-port0` });
    it('names the four interfaces and which one is the service UART', () => {
      const lines = describeFtdiPorts([0, 1, 2, 3].map(chip), undefined);
      assert.match(lines[0]!, /FT4232H \(USB 0403:6011\) interfaces: \/dev\/ttyUSB0 \(A\), \/dev\/ttyUSB1 \(B\), \/dev\/ttyUSB2 \(C\), \/dev\/ttyUSB3 \(D\)/);
      assert.equal(lines[1], 'Service UART: /dev/ttyUSB2 (interface C).');
    });
    it('says when there is no FT4232H', () => {
      assert.deepEqual(describeFtdiPorts([{ path: '/dev/ttyS0' }], undefined), ['No FTDI FT4232H (USB 0403:6011) among the serial ports.']);
    });
  });

  describe('the serial line', () => {
    it('no bytes is silence; bytes without one valid frame is garbage; a named rate is a baud mismatch', () => {
      assert.equal(readLine(probe({ bytesIn: 0, framesIn: 0, rttsMs: [] })).verdict, 'silent');
      const garbage = probe({ bytesIn: 300, framesIn: 4, malformed: 3, checksumErrors: 1, slipErrors: 6, rttsMs: [] });
      assert.equal(readLine(garbage).verdict, 'garbage');
      const named = concludeLine(garbage, readLine(garbage), { answeringBaud: 115200, triedRates: [115200], simulated: false });
      assert.match(named.summary, /Baud-rate mismatch: at 921600 baud only garbage arrives, but the board answers at 115200 baud/);
      const unnamed = concludeLine(garbage, readLine(garbage), { answeringBaud: undefined, triedRates: [115200, 230400], simulated: false });
      assert.match(unnamed.summary, /no rate of 921600, 115200, 230400 worked/);
      assert.match(unnamed.nextAction!, /service UART \(interface C/);
    });

    it('frames that keep their framing but fail their checksums are a damaged line, even when none arrives intact', () => {
      const damaged = probe({ bytesIn: 500, framesIn: 5, checksumErrors: 5, malformed: 0, slipErrors: 1, rttsMs: [] });
      const reading = readLine(damaged);
      assert.equal(reading.verdict, 'corrupted');
      const conclusion = concludeLine(damaged, reading, noContext);
      assert.equal(conclusion.status, 'fail');
      assert.match(conclusion.summary, /The line corrupts data: 100% of frames arrive damaged \(0 good\)/);
      assert.match(conclusion.nextAction!, /another USB cable/);
    });

    it('echo requests lost all along once the board answered are a damaged line; lost only before its first answer, a board starting up', () => {
      const lossy = probe({ echoesSent: 9, rttsMs: [1, 1], echoesAfterFirstReply: 8, lostAfterFirstReply: 7, framesIn: 2 });
      const reading = readLine(lossy);
      assert.equal(reading.verdict, 'corrupted');
      const conclusion = concludeLine(lossy, reading, noContext);
      assert.equal(conclusion.status, 'fail');
      assert.match(conclusion.summary, /The line corrupts data: 0\.0% of frames arrive damaged \(2 good\); 7 of 8 echo requests went unanswered once the board had answered\./);
      const starting = probe({ echoesSent: 9, rttsMs: [1, 1, 1, 1, 1], echoesAfterFirstReply: 4, lostAfterFirstReply: 0 });
      assert.equal(readLine(starting).verdict, 'ok');
      const oneUnlucky = probe({ echoesSent: 6, rttsMs: [1, 1, 1, 1, 1], echoesAfterFirstReply: 5, lostAfterFirstReply: 1 });
      assert.equal(readLine(oneUnlucky).verdict, 'ok', 'one timeout is not damage');
    });

    it('any damaged share from 2% on is reported; it fails from 30% or when no echo came back', () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 500 }), (good, bad) => {
        const p = probe({ framesIn: good + bad, checksumErrors: bad });
        const reading = readLine(p);
        const rate = bad / (good + bad);
        if (rate < 0.02) {
          assert.equal(reading.verdict, 'ok');
          return;
        }
        assert.equal(reading.verdict, 'corrupted');
        assert.equal(concludeLine(p, reading, noContext).status, rate >= CORRUPTION_FAIL_RATE ? 'fail' : 'warn');
        assert.equal(concludeLine({ ...p, rttsMs: [] }, reading, noContext).status, 'fail');
      }), { seed: testSeed() });
    });
  });

  describe('routes', () => {
    const table = [
      'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
      'eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
      'sl0\t0023A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
      'tun0\t0000A8C0\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
    ].join('\n');

    it('parses /proc/net/route and orders the routes for the board most specific first', () => {
      const routes = routesFor(parseProcNetRoute(table), '192.168.35.2');
      assert.deepEqual(routes.map((r) => `${r.destination}/${r.prefixLength} ${r.iface}`), ['192.168.35.0/24 sl0', '192.168.0.0/16 tun0']);
    });

    it('reads a real kernel table: a VPN-like /24 route on a tun device in a private namespace', function () {
      if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
      const ns = `doctor-rt-${process.pid}`;
      const sh = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
      sh('netns', 'add', ns);
      try {
        sh('-n', ns, 'tuntap', 'add', 'dev', 'vpn0', 'mode', 'tun');
        sh('-n', ns, 'link', 'set', 'vpn0', 'up');
        sh('-n', ns, 'route', 'add', '192.168.35.0/24', 'dev', 'vpn0');
        const text = execFileSync('ip', ['netns', 'exec', ns, 'cat', '/proc/net/route'], { encoding: 'utf8' });
        const [winner] = routesFor(parseProcNetRoute(text), '192.168.35.2');
        assert.equal(winner?.iface, 'vpn0');
        assert.equal(winner?.prefixLength, 24);
      } finally {
        sh('netns', 'del', ns);
      }
    });
  });

  describe('the OS route check (looks only: localhost and the tables)', () => {
    const target: DoctorTarget = { name: 'b', kind: 'os-route', baudRate: 921600, rtscts: true, trust: { kind: 'pin', store: { get: async () => undefined, set: async () => undefined, delete: async () => undefined } } };
    const vpnTable = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\ntun0\t0000A8C0\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n';

    it('a VPN route capturing 192.168.35.2 fails the OS route, named with its interface', async () => {
      const r = await checkOsRoute(target, quickOptions({ readRoutes: async () => vpnTable, networkInterfaces: () => ({ sl0: [] }) }));
      assert.equal(r.status, 'fail');
      assert.match(r.summary, /would go through tun0 \(192\.168\.0\.0\/16 via tun0\)/);
      assert.match(r.nextAction!, /Disconnect the VPN that uses tun0 .* Route" to serial/);
    });

    it('for a serial board the same VPN is only a warning', async () => {
      const r = await checkOsRoute({ ...target, kind: 'usb' }, quickOptions({ readRoutes: async () => vpnTable }));
      assert.equal(r.status, 'warn');
    });

    it('asks the vendor service on localhost and lists its boards', async () => {
      const server = http.createServer((_req, res) => res.end('[{"IpAddress":"192.168.35.2","DeviceConnectionPath":"1243"}]'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const r = await checkOsRoute(target, quickOptions({ vendorServiceUrl: url }));
        assert.equal(r.status, 'pass');
        assert.ok(r.details.some((d) => d === `Vendor device service at ${url}: running, lists 192.168.35.2.`), r.details.join('\n'));
      } finally {
        server.close();
      }
    });

    it('an OS-route board with neither vendor service nor sl0 fails; elsewhere than Linux it says the table was not checked', async () => {
      const r = await checkOsRoute(target, quickOptions({ platform: 'win32', readRoutes: async () => undefined }));
      assert.equal(r.status, 'fail');
      assert.match(r.nextAction!, /Azure Sphere Device Communication Service/);
      assert.ok(r.details.some((d) => /routing table was not checked: on win32/.test(d)));
    });
  });
});
