// The output port (TCP 2342 on the board's address): while an app runs under the debugger, a real board sends what
// the app writes (Log_Debug) to whoever connects there — the tools show it as the app's output (learn.microsoft.com
// "Sideload an app": Output Port 2342). The simulator listens there while an app is being debugged and sends that
// app's lines from this boot (those written before the connection first), then each new one, one per line.
import type { Duplex } from 'node:stream';
import type { NetStack } from '../../../src/device/net';
import type { AppOutput } from './app-output';
import { OUTPUT_PORT } from './app-runtime';

export class OutputPort {
  private listener: { close(): void } | undefined;
  private readonly sockets = new Set<Duplex>();

  constructor(
    private readonly output: AppOutput,
    /** Component IDs of the apps being debugged now. */
    private readonly debugged: () => string[],
  ) {}

  /** Listens while an app is debugged on a running board, and stops (closing its connections) otherwise. */
  update(stack: NetStack | undefined): void {
    const wanted = stack !== undefined && this.debugged().length > 0;
    if (wanted && !this.listener) {
      this.listener = stack.listen(OUTPUT_PORT, (socket) => this.serve(socket));
    } else if (!wanted && this.listener) {
      this.listener.close();
      this.listener = undefined;
      for (const socket of this.sockets) socket.end();
    }
  }

  /** Power-off: the stack and its connections are gone with the board. */
  powerOff(): void {
    this.listener = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private serve(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy());
    for (const componentId of this.debugged()) {
      for (const line of this.output.linesOf(componentId)) socket.write(`${line}\n`);
    }
    const onLine = (componentId: string, line: string): void => {
      if (this.debugged().includes(componentId)) socket.write(`${line}\n`);
    };
    this.output.on('line', onLine);
    socket.on('close', () => {
      this.output.off('line', onLine);
      this.sockets.delete(socket);
    });
    socket.on('data', () => undefined); // what the tools send is not read; keep the stream flowing
  }
}
