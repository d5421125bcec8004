/** Two NetStacks (PC .1 and board .2) joined by an in-process link, torn down by `close()`. */
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { NetStack, type TcpOptions } from '../../src/device/net';
import { createLinkPair, type LinkPairOptions } from '../../src/device/net/link-pair';

export const PC = '192.168.35.1';
export const BOARD = '192.168.35.2';

export interface StackPair {
  pc: NetStack;
  board: NetStack;
  pcLink: Duplex;
  boardLink: Duplex;
  close(): Promise<void>;
}

export function stackPair(opts: { link?: LinkPairOptions; links?: [Duplex, Duplex]; tcp?: Partial<TcpOptions>; mtu?: number } = {}): StackPair {
  const [pcLink, boardLink] = opts.links ?? createLinkPair(opts.link);
  const pc = new NetStack(pcLink, { localAddress: PC, tcp: opts.tcp, mtu: opts.mtu });
  const board = new NetStack(boardLink, { localAddress: BOARD, tcp: opts.tcp, mtu: opts.mtu });
  return {
    pc, board, pcLink, boardLink,
    async close() {
      const closed = [pc, board].filter((s) => !s.destroyed).map((s) => once(s, 'close'));
      pc.destroy();
      board.destroy();
      await Promise.all(closed);
    },
  };
}

/** Reads a stream to its end without destroying it (unlike `for await`, which would abort a half-closed socket). */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}
