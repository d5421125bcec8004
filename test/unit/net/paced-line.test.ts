/** UART pacing: frames are delivered no earlier than their last byte would cross the line, in order, with backpressure. */
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createLinkPair, pacedLink, UartLine, wireTimeMs } from '../../../src/device/net';

describe('net: UART pacer', () => {
  it('computes 8N1 wire time', () => {
    assert.equal(wireTimeMs(11520, 115200), 1000);
    assert.equal(wireTimeMs(92160, 921600), 1000);
    assert.equal(wireTimeMs(1000, 1000, 8), 8000);
  });

  it('delivers each chunk whole when its last byte has crossed the line, back to back', async () => {
    const arrivals: Array<{ at: number; len: number }> = [];
    const t0 = performance.now();
    const line = new UartLine((c) => { if (c) arrivals.push({ at: performance.now() - t0, len: c.length }); }, { baudRate: 115200 });
    for (let i = 0; i < 3; i++) line.send(Buffer.alloc(576), () => {}); // 50 ms each on the wire
    await new Promise((r) => setTimeout(r, 260));
    assert.deepEqual(arrivals.map((a) => a.len), [576, 576, 576]);
    arrivals.forEach((a, i) => assert.ok(a.at >= 50 * (i + 1) - 1, `chunk ${i} arrived at ${a.at.toFixed(1)} ms, before its ${50 * (i + 1)} ms wire time`));
    line.close();
  });

  it('reports backpressure once more than queueBytes wait, and releases it as the line drains', async () => {
    const [a, b] = createLinkPair({ baudRate: 921600, queueBytes: 3000 });
    b.on('data', () => {});
    assert.equal(a.write(Buffer.alloc(1500)), true);
    assert.equal(a.write(Buffer.alloc(1500)), true);
    a.write(Buffer.alloc(1500));
    assert.equal(a.write(Buffer.alloc(1500)), false, 'over the queue limit');
    const t0 = performance.now();
    await once(a, 'drain');
    assert.ok(performance.now() - t0 >= wireTimeMs(1500, 921600) - 1);
    a.destroy();
    await once(b, 'close');
  });

  it('pacedLink paces writes to the wrapped stream and passes reads through', async () => {
    const inner = new PassThrough(); // what is written comes back out: we read our own paced bytes
    const link = pacedLink(inner, { baudRate: 115200 });
    const t0 = performance.now();
    link.write(Buffer.alloc(1152, 7)); // 100 ms
    const [d] = await once(link, 'data') as [Buffer];
    assert.equal(d.length, 1152);
    assert.ok(performance.now() - t0 >= 99, 'not before its wire time');
    link.destroy();
    assert.equal(inner.destroyed, true);
  });
});
