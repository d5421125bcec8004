// The PC side of a simulated board's serial link for tests: real `serialport` on the pty slave, the project's
// user-space SLIP/IPv4/TCP stack on top (PC address 192.168.35.1).
import { SerialPort } from 'serialport';
import type { Duplex } from 'node:stream';
import { NetStack } from '../../src/device/net';

export interface SerialHost {
  stack: NetStack;
  port: SerialPort;
  /** Opens a TCP connection to the board's REST port through the serial link. */
  connectRest: () => Duplex;
  close(): Promise<void>;
}

export async function openSerialHost(linkPath: string, baudRate = 921600): Promise<SerialHost> {
  const port = new SerialPort({ path: linkPath, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const stack = new NetStack(port, { localAddress: '192.168.35.1' });
  stack.on('error', () => undefined);
  return {
    stack,
    port,
    connectRest: () => stack.connect({ host: '192.168.35.2', port: 443, timeoutMs: 10_000 }),
    close: async () => {
      const closed = new Promise<void>((resolve) => (port.isOpen ? port.once('close', () => resolve()) : resolve()));
      stack.destroy();
      await closed;
    },
  };
}
