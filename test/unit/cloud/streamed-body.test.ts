// Request bodies sent a chunk at a time: views of bytes in memory (never copies), a file read while it is sent, and
// the HTTPS transport refusing a body that does not add up to the length it announced (a file changed midway) —
// against the cloud emulator's HTTPS server, the request's bytes arriving whole when they do add up.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudError } from '../../../src/cloud/errors';
import { HttpsTransport } from '../../../src/cloud/https-transport';
import { BODY_CHUNK_BYTES, bytesBody, fileBody, isStreamedBody } from '../../../src/cloud/streamed-body';
import { executable } from '../../helpers/app-packages';
import { seededEmulatorPerSuite } from '../../helpers/cloud-emulator';
import { testSeed } from '../../helpers/test-seed';

async function gather(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for await (const c of chunks) all.push(c);
  return all;
}

describe('cloud/streamed-body and the transport that sends it', () => {
  const seeded = seededEmulatorPerSuite();
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'streamed-body-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cuts bytes into views of themselves, and a file into chunks read as they go, each opening starting over', async () => {
    const bytes = executable(3 * BODY_CHUNK_BYTES + 5, testSeed());
    const body = bytesBody(bytes);
    assert.ok(isStreamedBody(body) && !isStreamedBody(bytes) && !isStreamedBody('text'));
    const chunks = await gather(body.open());
    assert.deepEqual(chunks.map((c) => c.byteLength), [BODY_CHUNK_BYTES, BODY_CHUNK_BYTES, BODY_CHUNK_BYTES, 5]);
    assert.ok(chunks.every((c) => c.buffer === bytes.buffer), 'views of the same memory, not copies');
    assert.equal((await gather(body.open())).length, 4, 'opened again, it starts over');

    const file = join(dir, 'package.bin');
    writeFileSync(file, bytes);
    const fromFile = await gather(fileBody(file, bytes.length).open());
    assert.ok(Buffer.concat(fromFile).equals(bytes));
    assert.ok(fromFile.every((c) => c.byteLength <= BODY_CHUNK_BYTES));
  });

  it('refuses a body shorter or longer than announced instead of sending something else', async () => {
    const emulator = seeded.emulator;
    const transport = new HttpsTransport({ extraCaPem: emulator.caCertPem });
    try {
      const file = join(dir, 'shrunk.bin');
      writeFileSync(file, Buffer.alloc(1000, 1));
      const url = `${emulator.url}/v2/tenants/${emulator.seed.tenants.contoso.id}/images`;
      for (const [announced, message] of [[1500, /ended after 1000 of the 1500 bytes announced/], [600, /longer than the 600 bytes announced/]] as const) {
        await assert.rejects(transport.send({ method: 'POST', url, body: fileBody(file, announced) }), (e: unknown) => e instanceof CloudError && e.code === 'body_changed' && message.test(e.message));
      }
      // Adding up, it goes through: the emulator answers (here 401, no token), having read the whole body.
      const ok = await transport.send({ method: 'POST', url, body: fileBody(file, 1000) });
      assert.equal(ok.status, 401);
    } finally {
      transport.close();
    }
  });
});
