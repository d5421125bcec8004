/**
 * Interoperability with the Linux kernel's TCP/IP (inside a private network namespace, see helpers/kernel-namespace):
 * the kernel pings us and we ping it; curl in the namespace reaches an HTTPS server served through OUR stack; our
 * client reaches an HTTPS server the kernel side serves. Bulk bodies both ways, checked by SHA-256.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NetStack } from '../../../src/device/net';
import { request, serveHttps, StackHttpsAgent } from '../../helpers/https-over-stack';
import { createKernelNamespace, kernelInteropUnavailable, type KernelNamespace } from '../../helpers/kernel-namespace';
import { tlsFixture } from '../../helpers/test-pki';

const KERNEL = '192.168.35.1';
const OURS = '192.168.35.2';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('net: interoperability with the Linux kernel TCP/IP (network namespace + TUN)', function () {
  this.timeout(60_000);
  let kernel: KernelNamespace | undefined;
  let stack: NetStack | undefined;
  let dir = '';

  before(async function () {
    const why = kernelInteropUnavailable();
    if (why) {
      console.log(`      (skipped: kernel interop ${why})`);
      this.skip();
    }
    kernel = await createKernelNamespace(KERNEL);
    stack = new NetStack(kernel.link, { localAddress: OURS });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'net-kernel-'));
  });

  after(async () => {
    stack?.destroy();
    await kernel?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the kernel\'s pings and pings the kernel', async () => {
    // No ping(8) on this machine: a raw ICMP socket in Python inside the namespace (the kernel builds the IP header).
    const pinger = `
import socket, struct, sys, time
def csum(b):
    if len(b) % 2: b += b'\\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); sock.settimeout(2)
ok = 0
for seq in range(3):
    data = bytes(range(256)) * 4
    hdr = struct.pack('!BBHHH', 8, 0, 0, 0x4242, seq)
    sock.sendto(struct.pack('!BBHHH', 8, 0, csum(hdr + data), 0x4242, seq) + data, (sys.argv[1], 0))
    while True:
        pkt = sock.recv(4096); ihl = (pkt[0] & 15) * 4; icmp = pkt[ihl:]
        if icmp[0] == 0 and struct.unpack('!HH', icmp[4:8]) == (0x4242, seq) and icmp[8:] == data and csum(icmp) == 0:
            ok += 1; break
print('%d received' % ok)
`;
    const out = await kernel!.exec('python3', ['-c', pinger, OURS]);
    assert.match(out.stdout, /3 received/);
    const rtt = await stack!.ping(KERNEL, { timeoutMs: 2000, size: 1200 });
    assert.ok(rtt >= 0);
  });

  it('curl in the namespace reaches an HTTPS server served through our stack (upload and download)', async () => {
    const fx = tlsFixture();
    fs.writeFileSync(path.join(dir, 'ca.pem'), fx.ca);
    const upload = Buffer.alloc(400_000);
    for (let i = 0; i < upload.length; i++) upload[i] = (i * 31 + (i >> 9)) & 0xff;
    fs.writeFileSync(path.join(dir, 'upload.bin'), upload);
    const download = Buffer.alloc(600_000);
    for (let i = 0; i < download.length; i++) download[i] = (i * 17) & 0xff;
    const srv = serveHttps(stack!, 443, fx, (req, res) => {
      const h = createHash('sha256');
      req.on('data', (c: Buffer) => h.update(c));
      req.on('end', () => {
        res.setHeader('x-upload-sha256', h.digest('hex'));
        res.setHeader('REST-API-Version', '4.4.0');
        res.end(download);
      });
    });
    try {
      const out = await kernel!.exec('curl', ['-sS', '--max-time', '30', '--cacert', path.join(dir, 'ca.pem'),
        '--resolve', `a.devices.sphere.azure.local:443:${OURS}`, '-D', path.join(dir, 'headers.txt'),
        '--data-binary', `@${path.join(dir, 'upload.bin')}`, '-o', path.join(dir, 'download.bin'),
        'https://a.devices.sphere.azure.local/update/stage'], 40_000);
      assert.equal(out.stderr, '');
      const headers = fs.readFileSync(path.join(dir, 'headers.txt'), 'utf8');
      assert.match(headers, /^HTTP\/1\.1 200/);
      assert.match(headers, new RegExp(`x-upload-sha256: ${sha256(upload)}`, 'i'));
      assert.equal(sha256(fs.readFileSync(path.join(dir, 'download.bin'))), sha256(download));
    } finally {
      srv.close();
    }
  });

  it('our client reaches an HTTPS server run by the kernel side (node in the namespace)', async () => {
    const fx = tlsFixture();
    fs.writeFileSync(path.join(dir, 'key.pem'), fx.key);
    fs.writeFileSync(path.join(dir, 'cert.pem'), fx.cert);
    const script = path.join(dir, 'server.js');
    fs.writeFileSync(script, `
      const https = require('https'), fs = require('fs'), crypto = require('crypto');
      const body = Buffer.alloc(500000); for (let i = 0; i < body.length; i++) body[i] = (i * 13) & 255;
      https.createServer({ key: fs.readFileSync(${JSON.stringify(path.join(dir, 'key.pem'))}), cert: fs.readFileSync(${JSON.stringify(path.join(dir, 'cert.pem'))}) }, (req, res) => {
        const h = crypto.createHash('sha256');
        req.on('data', (c) => h.update(c));
        req.on('end', () => { res.setHeader('x-upload-sha256', h.digest('hex')); res.setHeader('x-peer', req.socket.remoteAddress); res.end(body); });
      }).listen(8443, ${JSON.stringify(KERNEL)}, () => console.log('listening'));
    `);
    const server = kernel!.spawn(process.execPath, [script]);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('kernel-side server did not start')), 10_000);
      server.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('listening')) { clearTimeout(timer); resolve(); } });
      server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`kernel-side server exited ${code}`)); });
    });
    const agent = new StackHttpsAgent(stack!, fx.ca);
    try {
      const upload = Buffer.alloc(300_000, 0xc0); // SLIP END bytes throughout: every one needs an escape
      const r = await request({ host: KERNEL, port: 8443, path: '/', method: 'POST', agent }, upload);
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-upload-sha256'], sha256(upload));
      assert.equal(r.headers['x-peer'], OURS);
      const expected = Buffer.alloc(500_000);
      for (let i = 0; i < expected.length; i++) expected[i] = (i * 13) & 255;
      assert.equal(sha256(r.body), sha256(expected));
      assert.equal(stack!.counters.tcpChecksumErrors, 0);
      assert.equal(stack!.counters.ipChecksumErrors, 0);
    } finally {
      agent.destroy();
      server.kill('SIGKILL');
    }
  });
});
