// Opens a board's recovery UART (115200 8N1, no flow control) with serialport, paced at the line rate so that the
// XMODEM sender's timeouts measure the line and not a pty's or driver's buffer.
import type { Duplex } from 'node:stream';
import { loadSerialPort } from '../serial-link';
import { UartPacer } from '../serial-write-pacer';
import { RecoveryError } from './recovery-error';

export interface RecoveryPort {
  readonly path: string;
  readonly baudRate: number;
  readonly stream: Duplex;
  close(): Promise<void>;
}

export async function openRecoveryPort(path: string, baudRate: number): Promise<RecoveryPort> {
  const { SerialPort } = loadSerialPort();
  const port = new SerialPort({ path, baudRate, rtscts: false, autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    port.open((err) => (err ? reject(new RecoveryError('PORT_FAILED', `Could not open the recovery port ${path}: ${err.message}`, { cause: err })) : resolve())),
  );
  port.on('error', () => undefined); // surfaces as 'close' to the reader
  const stream = new UartPacer(port as unknown as Duplex, { baudRate, queueBytes: 2048 });
  stream.on('error', () => undefined);
  return {
    path,
    baudRate,
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) {
          stream.destroy();
          resolve();
          return;
        }
        port.close(() => {
          stream.destroy();
          resolve();
        });
      }),
  };
}
