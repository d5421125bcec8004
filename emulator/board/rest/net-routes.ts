// Network endpoints: interfaces (list, get, up/down, MAC), network status and the firewall's rulesets.
import { BOARD_IP_ADDRESS } from '../identity';
import { badRequest, DeviceErrorCode, notFound } from '../device-errors';
import type { BoardContext } from './context';
import { ok, readJsonObject, type Router } from './http-kit';
import { proxyStatus } from './proxy-routes';

const INTERFACE_NAMES = ['azspheresvc', 'lo', 'wlan0'] as const;
type InterfaceName = (typeof INTERFACE_NAMES)[number];

/** 17 characters, hex pairs separated by colons, unicast (low bit of the first octet clear). */
function isValidUnicastMac(value: string): boolean {
  return /^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(value) && (parseInt(value.slice(0, 2), 16) & 1) === 0;
}

/** A rule as `GET /net/firewall/rulesets` lists it; the fields every rule carries are filled with "match anything". */
function firewallRule(rule: { sourceIP?: string; sourceMask?: string; destinationIP?: string; destinationMask?: string; interfaceInName?: string; protocol?: string; destinationPort?: number; state?: string }): Record<string, unknown> {
  const port = rule.destinationPort;
  return {
    sourceIP: rule.sourceIP ?? '0.0.0.0',
    sourceMask: rule.sourceMask ?? '0.0.0.0',
    destinationIP: rule.destinationIP ?? '0.0.0.0',
    destinationMask: rule.destinationMask ?? '0.0.0.0',
    uid: 0xffffffff,
    action: 'accept',
    interfaceInName: rule.interfaceInName ?? '',
    interfaceOutName: '',
    state: rule.state ?? 'none',
    tcpMask: [],
    tcpCmp: [],
    tcpInv: false,
    protocol: rule.protocol ?? 'any',
    sourcePortRange: { min: 0, max: 65535 },
    destinationPortRange: port === undefined ? { min: 0, max: 65535 } : { min: port, max: port },
    packets: 0,
    bytes: 0,
  };
}

/**
 * The board's firewall as the device API reports it: one ruleset per netfilter hook (the spec's enum), loopback and
 * the device API on the service UART let in, replies to the board's own connections let in, everything it sends let
 * out. Fixed: the simulator's apps open no connections, so their manifests add no rules, and it counts no packets.
 */
const FIREWALL_RULESETS = [
  { hook: 'PREROUTING', isValid: false, rules: [] },
  {
    hook: 'INPUT',
    isValid: true,
    rules: [
      firewallRule({ destinationIP: '127.0.0.1', destinationMask: '255.255.255.255' }),
      firewallRule({ destinationIP: BOARD_IP_ADDRESS, destinationMask: '255.255.255.255', interfaceInName: 'azspheresvc', protocol: 'tcp', destinationPort: 443 }),
      firewallRule({ state: 'established' }),
    ],
  },
  { hook: 'FORWARD', isValid: false, rules: [] },
  { hook: 'OUTPUT', isValid: true, rules: [firewallRule({})] },
  { hook: 'POSTROUTING', isValid: false, rules: [] },
];

export function addNetRoutes(router: Router, board: BoardContext): void {
  const { store, station } = board;

  const interfaceView = (name: InterfaceName): Record<string, unknown> => {
    switch (name) {
      case 'azspheresvc':
        return { interfaceName: name, interfaceUp: true, connectedToNetwork: false, ipAcquired: false, connectedToInternet: false, ipAddresses: [BOARD_IP_ADDRESS] };
      case 'lo':
        return { interfaceName: name, interfaceUp: true, connectedToNetwork: false, ipAcquired: false, connectedToInternet: false, ipAddresses: ['127.0.0.1'] };
      case 'wlan0': {
        const wlan = store.view.interfaces.wlan0;
        return {
          interfaceName: name,
          interfaceUp: wlan.up,
          connectedToNetwork: station.connected,
          ipAcquired: station.ipAddress !== undefined,
          connectedToInternet: station.connectedToInternet,
          ipAddresses: station.ipAddress !== undefined ? [station.ipAddress] : [],
          hardwareAddress: wlan.hardwareAddress,
          ipAssignment: 'dynamic',
        };
      }
    }
  };

  const interfaceNamed = (name: string): InterfaceName => {
    if (!INTERFACE_NAMES.includes(name as InterfaceName)) {
      throw notFound(DeviceErrorCode.invalidRequestUri, `No interface ${name}`);
    }
    return name as InterfaceName;
  };

  router
    .add('GET', '/net/interfaces', () => ok({ interfaces: INTERFACE_NAMES.map(interfaceView) }))
    .add('GET', '/net/interfaces/:name', (_req, [name]) => ok(interfaceView(interfaceNamed(name))))
    .add('PATCH', '/net/interfaces/:name', async (req, [nameText]) => {
      const name = interfaceNamed(nameText);
      const body = await readJsonObject(req, DeviceErrorCode.invalidInterface);
      const { interfaceUp, hardwareAddress } = body;
      if ((interfaceUp !== undefined && typeof interfaceUp !== 'boolean')
        || (interfaceUp === undefined && hardwareAddress === undefined)) {
        throw badRequest(DeviceErrorCode.invalidInterface, 'Give interfaceUp (boolean) and/or hardwareAddress');
      }
      if (hardwareAddress !== undefined && (typeof hardwareAddress !== 'string' || !isValidUnicastMac(hardwareAddress))) {
        throw badRequest(DeviceErrorCode.invalidHardwareAddress, 'Invalid hardware address');
      }
      if (name !== 'wlan0') {
        throw badRequest(DeviceErrorCode.operationNotPermittedOnInterface, `Operation not permitted on ${name}`);
      }
      await store.update((state) => {
        if (interfaceUp !== undefined) state.interfaces.wlan0.up = interfaceUp;
        if (hardwareAddress !== undefined) state.interfaces.wlan0.hardwareAddress = hardwareAddress.toLowerCase();
      });
      station.reevaluate();
      return ok();
    })
    .add('GET', '/net/firewall/rulesets', () => ok({ rulesets: FIREWALL_RULESETS }))
    .add('GET', '/net/status', () => ok({
      deviceAuthenticationIsReady: board.deviceAuthReady(),
      networkTimeSync: station.timeSynced ? 'complete' : 'incomplete',
      proxy: proxyStatus(board),
    }));
}
