// Check 1: serial ports. Which ports exist, whether an FTDI FT4232H (the MT3620 dev kit's USB chip) is among them and
// which of its interfaces is the service UART, and whether the board's port opens.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { FT4232H_PRODUCT_ID, FTDI_VENDOR_ID, ftdiInterfaceIndex, findUsbBoardPorts, type SerialPortListing } from '../discovery/usb-boards';
import type { SerialLink } from '../serial-link';
import { openErrorAdvice } from './open-errors';
import type { DoctorOptions, DoctorTarget } from './types';

export interface PortCheckOutcome {
  status: 'pass' | 'fail' | 'skipped';
  summary: string;
  details: string[];
  nextAction?: string;
  link?: SerialLink;
}

const letter = (index: number | undefined): string => (index === undefined ? '?' : String.fromCharCode(65 + index));

/** What the port listing says about FT4232H chips, as report lines. */
export function describeFtdiPorts(ports: SerialPortListing[], serviceInterface: number | undefined): string[] {
  const ftdi = ports.filter((p) => p.vendorId?.toLowerCase() === FTDI_VENDOR_ID && p.productId?.toLowerCase() === FT4232H_PRODUCT_ID);
  if (ftdi.length === 0) return [`No FTDI FT4232H (USB ${FTDI_VENDOR_ID}:${FT4232H_PRODUCT_ID}) among the serial ports.`];
  const lines = [`FTDI FT4232H (USB ${FTDI_VENDOR_ID}:${FT4232H_PRODUCT_ID}) interfaces: ${ftdi.map((p) => `${p.path} (${letter(ftdiInterfaceIndex(p))})`).join(', ')}.`];
  const boards = findUsbBoardPorts(ports, serviceInterface);
  lines.push(
    boards.length > 0
      ? `Service UART: ${boards.map((b) => `${b.path} (interface ${letter(b.interfaceIndex)})`).join(', ')}.`
      : `None of them is recognisably the service UART (interface ${letter(serviceInterface ?? 2)}): expected four interfaces per board.`,
  );
  return lines;
}

function noBoardAction(platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return 'Connect the board with a USB data cable; if it is connected and no COM ports appear, install the FTDI VCP driver from ftdichip.com.';
  }
  if (platform === 'darwin') return 'Connect the board with a USB data cable; if no /dev/cu.usbserial-* ports appear, install the FTDI VCP driver.';
  return 'Connect the board with a USB data cable (not a charge-only one); if it is connected, check `dmesg` for the ftdi_sio driver.';
}

export async function defaultGroupsOf(devicePath: string): Promise<{ userGroups: string[]; deviceGroup: string | undefined }> {
  const groupFile = await fs.readFile('/etc/group', 'utf8').catch(() => '');
  const names = new Map<number, string>();
  for (const line of groupFile.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name && gid) names.set(Number(gid), name);
  }
  const gid = await fs.stat(devicePath).then((s) => s.gid, () => undefined);
  const userGroups = (process.getgroups?.() ?? []).map((g) => names.get(g) ?? String(g));
  return { userGroups, deviceGroup: gid === undefined ? undefined : names.get(gid) };
}

export async function checkSerialPort(target: DoctorTarget, options: DoctorOptions, openLink: NonNullable<DoctorOptions['openLink']>): Promise<PortCheckOutcome> {
  const platform = options.platform ?? os.platform();
  if (target.kind === 'os-route') {
    return { status: 'skipped', summary: 'Not used: this board is reached through the operating system\'s route, not a serial port.', details: [] };
  }
  const details: string[] = [];
  let ports: SerialPortListing[] = [];
  try {
    ports = options.listPorts ? await options.listPorts() : [];
    details.push(ports.length > 0 ? `Serial ports: ${ports.map((p) => p.path).join(', ')}.` : 'The system lists no serial ports.');
  } catch (err) {
    details.push(`Listing serial ports failed: ${(err as Error).message}`);
  }
  details.push(...describeFtdiPorts(ports, options.serviceInterface));
  if (!target.portPath) {
    return { status: 'fail', summary: 'No board found: no FT4232H service UART and no simulated board.', details, nextAction: noBoardAction(platform) };
  }
  if (target.kind === 'simulator') details.push(`${target.portPath} is a simulated board's pseudo-terminal.`);
  const exists = await fs.stat(target.portPath).then(() => true, () => false);
  if (!exists) {
    return {
      status: 'fail',
      summary: `The board's port ${target.portPath} is gone (unplugged?).`,
      details,
      nextAction: target.kind === 'simulator'
        ? 'Start the simulated board again ("Azure Sphere: Start Local Cloud Emulator and Simulated Board" or npm run sim).'
        : 'Plug the board\'s USB cable in again (firmly, directly into the computer), wait a few seconds, then run this again.',
    };
  }
  try {
    const link = await openLink(target.portPath, target.baudRate, target.rtscts);
    return { status: 'pass', summary: `Opened ${target.portPath} at ${target.baudRate} baud.`, details, link };
  } catch (err) {
    const groups = platform === 'linux' ? await (options.groupsOf ?? defaultGroupsOf)(target.portPath).catch(() => undefined) : undefined;
    const advice = openErrorAdvice(err, target.portPath, platform, groups);
    return { status: 'fail', summary: advice.summary, details: [...details, ...advice.details], nextAction: advice.nextAction };
  }
}
