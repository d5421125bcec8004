/**
 * A private network namespace whose Linux kernel TCP/IP talks to one of our NetStacks: a TUN device (created by
 * socat, then moved into the namespace) carries raw IPv4 packets; socat relays each packet as one UDP datagram over
 * the root namespace's loopback to this process, where a tiny bridge SLIP-encodes it onto the NetStack's link (and
 * decodes the stack's SLIP frames back into datagrams). Only addresses inside the namespace are used.
 */
import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import type { Duplex } from 'node:stream';
import { promisify } from 'node:util';
import { createLinkPair, type LinkPairOptions } from '../../src/device/net/link-pair';
import { SlipDecoder, slipEncode } from '../../src/device/net/slip';

const run = promisify(execFile);

export interface KernelNamespace {
  ns: string;
  /** Give this to a NetStack: SLIP bytes to and from the kernel. */
  link: Duplex;
  /** Runs a command inside the namespace (bounded by timeoutMs). */
  exec(cmd: string, args: string[], timeoutMs?: number): Promise<{ stdout: string; stderr: string }>;
  /** Starts a long-running command inside the namespace; killed by cleanup(). */
  spawn(cmd: string, args: string[]): ChildProcess;
  cleanup(): Promise<void>;
}

/** Why the kernel interop test cannot run here, or undefined when it can. */
export function kernelInteropUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'needs root for ip netns and /dev/net/tun';
  if (!fs.existsSync('/dev/net/tun')) return '/dev/net/tun is missing';
  for (const tool of ['/usr/bin/socat', '/usr/sbin/ip', '/usr/bin/curl', '/usr/bin/python3']) {
    if (!fs.existsSync(tool)) return `${tool} is missing`;
  }
  return undefined;
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Namespaces made by this process so far: with the pid, a name no other run here is using. */
let namespacesMade = 0;

/** `link` options pace the serial link between our stack and the bridge (both directions), e.g. { baudRate: 921600 }. */
export async function createKernelNamespace(peerAddress: string, link: LinkPairOptions = {}): Promise<KernelNamespace> {
  const id = `${process.pid}${namespacesMade++}`;
  const ns = `sphnet${id}`;
  const tun = `sphtun${id}`.slice(0, 15);
  const children: ChildProcess[] = [];
  const udp = dgram.createSocket('udp4');
  const [stackEnd, bridgeEnd] = createLinkPair(link);
  let socatPort = 0;
  let cleaned = false;

  // Last resort if the test process exits without running cleanup (e.g. mocha bails out): never leak the namespace.
  const onExit = () => {
    try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
  };
  process.once('exit', onExit);

  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    process.off('exit', onExit);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await new Promise<void>((r) => udp.close(() => r()));
    stackEnd.destroy();
  };

  try {
    await run('ip', ['netns', 'add', ns]);
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    socatPort = await freeUdpPort();
    const socat = spawn('socat', ['-b', '65536', `TUN,tun-type=tun,iff-no-pi,tun-name=${tun}`,
      `UDP-DATAGRAM:127.0.0.1:${udp.address().port},bind=127.0.0.1:${socatPort}`], { stdio: 'ignore' });
    children.push(socat);
    await waitFor(async () => (await run('ip', ['link', 'show', tun]).then(() => true, () => false)), `socat to create ${tun}`);
    // Move the TUN device into the namespace: socat keeps its fd; the kernel side now lives in the namespace.
    await run('ip', ['link', 'set', tun, 'netns', ns]);
    await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1']);
    await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    await run('ip', ['-n', ns, 'addr', 'add', `${peerAddress}/24`, 'dev', tun]);
    await run('ip', ['-n', ns, 'link', 'set', tun, 'up']);
  } catch (err) {
    await cleanup();
    throw err;
  }

  // The bridge: one UDP datagram = one IPv4 packet = one SLIP frame.
  udp.on('message', (packet) => {
    if (!bridgeEnd.destroyed) bridgeEnd.write(slipEncode([packet]));
  });
  const decoder = new SlipDecoder((frame) => udp.send(frame, socatPort, '127.0.0.1'), () => {});
  bridgeEnd.on('data', (c: Buffer) => decoder.push(c));
  bridgeEnd.on('error', () => {});

  return {
    ns,
    link: stackEnd,
    exec: (cmd, args, timeoutMs = 15_000) => run('ip', ['netns', 'exec', ns, cmd, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }),
    spawn: (cmd, args) => {
      const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return child;
    },
    cleanup,
  };
}
