// Which serial ports are MT3620 dev boards: the board's FTDI FT4232H (USB 0403:6011) exposes four UARTs; the service
// UART (SLIP) is one of them. Which interface it is comes from the vendor's Linux udev rule as we understand it
// (interface 2, "C"); it is an option because this could not be checked against real hardware here.

export const FTDI_VENDOR_ID = '0403';
export const FT4232H_PRODUCT_ID = '6011';
export const DEFAULT_SERVICE_INTERFACE = 2;

/** The fields of serialport's PortInfo we use. */
export interface SerialPortListing {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  locationId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface UsbBoardPort {
  path: string;
  /** The FTDI chip's serial number (shared by its four interfaces), when known. */
  usbSerialNumber: string | undefined;
  interfaceIndex: number;
}

const isFt4232h = (port: SerialPortListing): boolean =>
  port.vendorId?.toLowerCase() === FTDI_VENDOR_ID && port.productId?.toLowerCase() === FT4232H_PRODUCT_ID;

/** Interface number of one FTDI UART: Linux pnpId "…-if02-port0", or a trailing A–D in the serial/path (Windows, macOS). */
export function ftdiInterfaceIndex(port: SerialPortListing): number | undefined {
  const linux = /-if(\d{2})-port\d+$/.exec(port.pnpId ?? '');
  if (linux) return Number.parseInt(linux[1]!, 10);
  const letter = /([A-D])$/.exec(port.serialNumber ?? '') ?? /usbserial-\w*?([A-D])$/.exec(port.path);
  if (letter) return letter[1]!.charCodeAt(0) - 'A'.charCodeAt(0);
  return undefined;
}

/** The service-UART port of each FT4232H board found in a port listing. */
export function findUsbBoardPorts(ports: SerialPortListing[], serviceInterface = DEFAULT_SERVICE_INTERFACE): UsbBoardPort[] {
  const groups = new Map<string, SerialPortListing[]>();
  for (const port of ports.filter(isFt4232h)) {
    // The four UARTs share a serial number (Windows/macOS add A–D; strip it) or a USB location.
    const chip = (port.serialNumber ?? '').replace(/[A-D]$/, '') || port.locationId || port.path;
    groups.set(chip, [...(groups.get(chip) ?? []), port]);
  }
  const found: UsbBoardPort[] = [];
  for (const group of groups.values()) {
    const indexed = group.map((port) => ({ port, index: ftdiInterfaceIndex(port) }));
    const sortedByPath = [...group].sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true }));
    const service =
      indexed.find((p) => p.index === serviceInterface)?.port ??
      // No interface numbers: take the n-th port in path order when all four are present.
      (indexed.every((p) => p.index === undefined) && sortedByPath.length === 4 ? sortedByPath[serviceInterface] : undefined);
    if (service) {
      found.push({ path: service.path, usbSerialNumber: service.serialNumber?.replace(/[A-D]$/, ''), interfaceIndex: serviceInterface });
    }
  }
  return found;
}
