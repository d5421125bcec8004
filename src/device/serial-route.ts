// One serial port as a route to its board, opened on demand: the first connection opens the port and its network
// stack; when the port goes down (unplug, board USB reset) the next connection opens it again once it is back.
import type { Duplex } from 'node:stream';
import type { Logger } from '../common/logger';
import { NetError } from './net/errors';
import { SerialLink, type SerialLinkOptions } from './serial-link';
import type { ConnectOptions, StreamConnector } from './transport';

export class SerialRoute implements StreamConnector {
  readonly label: string;
  private link: SerialLink | undefined;
  private opening: Promise<SerialLink> | undefined;
  private closed = false;

  constructor(private readonly options: SerialLinkOptions & { logger: Logger }) {
    this.label = `serial ${options.path}`;
  }

  get path(): string {
    return this.options.path;
  }

  /** The open link, if any (for counters and ping). */
  get current(): SerialLink | undefined {
    return this.link?.isOpen ? this.link : undefined;
  }

  async connect(options: ConnectOptions): Promise<Duplex> {
    return (await this.ensureOpen()).connect(options);
  }

  ensureOpen(): Promise<SerialLink> {
    if (this.closed) return Promise.reject(new Error(`${this.label} is closed`));
    if (this.link?.isOpen) return Promise.resolve(this.link);
    if (!this.opening) {
      this.opening = SerialLink.open(this.options)
        .then((link) => {
          if (this.closed) {
            void link.close();
            throw new Error(`${this.label} is closed`);
          }
          this.options.logger.info(`Opened ${this.label} at ${link.baudRate} baud.`);
          this.link = link;
          return link;
        })
        .finally(() => {
          this.opening = undefined;
        });
    }
    return this.opening;
  }

  /** Closes the port (if open); the route can no longer be used. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.opening?.catch(() => undefined);
    await pending;
    await this.link?.close();
    this.link = undefined;
  }

  /** Closes the current link but lets the route reopen it later (the board vanished from discovery). */
  async release(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    await link?.close(new NetError('ELINKDOWN', `serial link ${this.options.path} down: the board is no longer attached`));
  }
}
