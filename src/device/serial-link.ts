// A board's service UART as a network: the serial port (via `serialport`, loaded only when a port is opened, so the
// rest of the extension works where the native module is missing) carrying our SLIP/IPv4/TCP stack. When the port
// vanishes (unplugged, board reset through USB) every connection over it ends with a clear ELINKDOWN error.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import type { Duplex } from 'node:stream';
import { DeviceError } from './device-error';
import { nullLogger, type Logger } from '../common/logger';
import { NetError } from './net/errors';
import { NetStack, type NetStackOptions } from './net/net-stack';
import type { TcpOptions } from './net/tcp-options';
import { UartPacer } from './serial-write-pacer';
import { DEVICE_HTTPS_PORT, type ConnectOptions, type StreamConnector } from './transport';

export const DEFAULT_BAUD_RATE = 921600;
/** Errors a port gives once its device is gone. */
const VANISHED_ERRNOS = new Set(['EIO', 'ENXIO', 'ENODEV']);
export const PC_LINK_ADDRESS = '192.168.35.1';
export const BOARD_LINK_ADDRESS = '192.168.35.2';

type SerialPortModule = typeof import('serialport');
type SerialPortInstance = InstanceType<SerialPortModule['SerialPort']>;

let serialPortModule: SerialPortModule | undefined;

/** Loads `serialport` on first use; a missing or broken native module becomes one clear error. */
export function loadSerialPort(): SerialPortModule {
  if (!serialPortModule) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: only the serial route needs the native module
      serialPortModule = require('serialport') as SerialPortModule;
    } catch (err) {
      throw new DeviceError(
        'SERIAL_UNAVAILABLE',
        `The serial port support (the 'serialport' module) could not be loaded on this system: ${(err as Error).message}. ` +
          'Boards can still be reached through the OS route when the vendor SDK has connected them.',
        { cause: err },
      );
    }
  }
  return serialPortModule;
}

export interface SerialLinkOptions {
  path: string;
  /** Default 921600 (the MT3620 service UART). */
  baudRate?: number;
  /** Hardware flow control; the real service UART uses RTS/CTS. Default true. */
  rtscts?: boolean;
  localAddress?: string;
  boardAddress?: string;
  /** Tunables of the TCP stack on this link (defaults suit 921600 baud). */
  tcp?: Partial<TcpOptions>;
  /** How often to check that the port's device node still exists (default 500 ms). */
  presencePollMs?: number;
  logger?: Logger;
}

/**
 * An open serial port with a network stack on it. Events: 'down' (err: NetError with code ELINKDOWN) once, when the
 * port vanished or failed; 'close' once, after the port is closed for whatever reason.
 */
export class SerialLink extends EventEmitter implements StreamConnector {
  readonly path: string;
  readonly baudRate: number;
  readonly boardAddress: string;
  readonly stack: NetStack;
  readonly label: string;
  private readonly logger: Logger;
  private presenceTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private emittedClose = false;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly port: SerialPortInstance,
    options: SerialLinkOptions,
    devicePath: string,
  ) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    this.boardAddress = options.boardAddress ?? BOARD_LINK_ADDRESS;
    this.label = `serial ${options.path}`;
    this.logger = options.logger ?? nullLogger;
    // Our listeners go first, so a vanished port is reported as such rather than as the stack's generic link error.
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (!this.closed) this.goDown(err?.disconnected ? 'the serial port disappeared (unplugged?)' : `the serial port closed${err ? `: ${err.message}` : ''}`);
      this.finish();
    });
    port.on('error', (err: NodeJS.ErrnoException) =>
      this.goDown(VANISHED_ERRNOS.has(err.code ?? '') || /\b(EIO|ENXIO|ENODEV)\b/.test(err.message)
        ? `the serial port disappeared (unplugged?): ${err.message}`
        : `the serial port failed: ${err.message}`));
    const stackOptions: NetStackOptions = { localAddress: options.localAddress ?? PC_LINK_ADDRESS };
    if (options.tcp) stackOptions.tcp = options.tcp;
    this.stack = new NetStack(new UartPacer(port as unknown as Duplex, { baudRate: this.baudRate }), stackOptions);
    this.stack.once('close', () => this.finish());
    // A pty (and some USB adapters) give no error to the reader when the other side goes away, so also watch the
    // device node: gone, or now naming another device (re-plugged under the same link), means this port is dead.
    const pollMs = options.presencePollMs ?? 500;
    this.presenceTimer = setInterval(() => {
      fs.realpath(this.path).then(
        (now) => {
          if (now !== devicePath) this.goDown('the serial port was replaced by another device (unplugged and plugged again?)');
        },
        () => this.goDown('the serial port disappeared (unplugged?)'),
      );
    }, pollMs);
    this.presenceTimer.unref();
  }

  static open(options: SerialLinkOptions): Promise<SerialLink> {
    const { SerialPort } = loadSerialPort();
    const baudRate = options.baudRate ?? DEFAULT_BAUD_RATE;
    return new Promise((resolve, reject) => {
      const devicePath = fs.realpath(options.path).catch(() => options.path);
      const port = new SerialPort({ path: options.path, baudRate, rtscts: options.rtscts ?? true, autoOpen: false });
      port.open((err) => {
        if (err) {
          reject(new DeviceError('CONNECTION_FAILED', `Could not open serial port ${options.path}: ${err.message}`, { cause: err }));
          return;
        }
        devicePath.then((resolved) => resolve(new SerialLink(port, options, resolved)));
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.stack.destroyed;
  }

  /** Opens a TCP connection to the board's HTTPS port over the link (StreamConnector). */
  connect(options: ConnectOptions): Promise<Duplex> {
    return this.connectTo(DEVICE_HTTPS_PORT, options.timeoutMs);
  }

  connectTo(port: number, timeoutMs: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = this.stack.connect({ host: this.boardAddress, port, timeoutMs });
      const onError = (err: Error): void => reject(err);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.removeListener('error', onError);
        socket.setNoDelay(true);
        resolve(socket);
      });
    });
  }

  /** ICMP echo round trip to the board, in ms. */
  ping(timeoutMs = 2_000): Promise<number> {
    return this.stack.ping(this.boardAddress, { timeoutMs });
  }

  /** Closes the port; open connections end with `reason` (default ECONNABORTED). Resolves when the port is closed. */
  close(reason?: NetError): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.stopPresencePoll();
      this.closing = new Promise<void>((resolve) => {
        this.stack.destroy(reason);
        if (!this.port.isOpen) {
          resolve();
          return;
        }
        this.port.close(() => resolve());
      });
    }
    return this.closing;
  }

  private goDown(why: string): void {
    if (this.closed || this.stack.destroyed) return;
    const err = new NetError('ELINKDOWN', `serial link ${this.path} down: ${why}; connections over it are lost`);
    this.logger.warn(err.message);
    this.closed = true;
    this.stopPresencePoll();
    this.stack.destroy(err); // first: requests in flight must fail with ELINKDOWN, not with a side effect of 'down'
    this.emit('down', err);
    if (this.port.isOpen) this.port.close(() => undefined);
  }

  private finish(): void {
    this.closed = true;
    this.stopPresencePoll();
    if (!this.stack.destroyed) this.stack.destroy();
    if (!this.port.isOpen && !this.emittedClose) {
      this.emittedClose = true;
      this.emit('close');
    }
  }

  private stopPresencePoll(): void {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
  }
}
