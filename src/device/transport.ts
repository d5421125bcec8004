// The layers between a REST client and a board: something that opens a byte stream to the board's HTTPS port (a TCP
// socket of our own SLIP stack over a serial port, or an OS socket to 192.168.35.x), then TLS on top of that.
import type { Duplex } from 'node:stream';

export interface ConnectOptions {
  timeoutMs: number;
}

/** Opens a plain byte stream to the board's port 443. Errors carry codes ECONNREFUSED / ETIMEDOUT / ECONNRESET / ELINKDOWN. */
export interface StreamConnector {
  /** Human-readable route, for messages: "serial /dev/ttyUSB2", "OS route 192.168.35.2". */
  readonly label: string;
  connect(options: ConnectOptions): Promise<Duplex>;
}

/** The Host header vendor clients send; certificates are verified against this name too. */
export const DEVICE_HOST_HEADER = '*.devices.sphere.azure.local';
export const DEVICE_HTTPS_PORT = 443;
