// Recovery image sets: the manifest's checks (each problem one specific sentence), a folder (--images), and a
// download from the cloud emulator's endpoint over real HTTPS trusting only the emulator's CA.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../../emulator/cloud';
import { EMULATED_RECOVERY_SET, RECOVERY_IMAGES_PATH } from '../../../emulator/cloud/recovery-images';
import { HttpsTransport } from '../../../src/cloud/https-transport';
import { downloadRecoveryImages, isRecoveryError, loadRecoveryImagesFromFolder, parseRecoveryManifest, RECOVERY_MANIFEST_FILE } from '../../../src/device/recovery';
import { writeImageFolder } from '../../helpers/image-folder';

const sha = 'a'.repeat(64);
const entry = (file: string, size = 10) => ({ file, size, sha256: sha });
const manifest = (patch: Record<string, unknown> = {}) => JSON.stringify({ schema: 1, osVersion: '25.02', bootloader: entry('rbl.bin'), images: [entry('a.bin')], ...patch });

describe('recovery image sets', function () {
  this.timeout(20_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'recovery-images-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('parses a good manifest', () => {
    assert.deepEqual(parseRecoveryManifest(manifest(), 'test'), { schema: 1, osVersion: '25.02', bootloader: entry('rbl.bin'), images: [entry('a.bin')] });
  });

  const refusals: [string, string, RegExp][] = [
    ['not JSON', '{', /recovery-manifest\.json is not JSON/],
    ['another schema', manifest({ schema: 2 }), /schema 2; this version reads schema 1/],
    ['a bad OS version', manifest({ osVersion: 'latest' }), /osVersion "latest" is not like "25\.02"/],
    ['no images', manifest({ images: [] }), /must list 1 to 64 images/],
    ['a path in a file name', manifest({ images: [entry('../etc/passwd')] }), /image 1 has no plain file name/],
    ['a zero size', manifest({ images: [entry('a.bin', 0)] }), /image 1 \(a\.bin\) has a size that is not a whole number/],
    ['a short hash', manifest({ images: [{ file: 'a.bin', size: 1, sha256: 'abc' }] }), /no SHA-256 as 64 lower-case hex digits/],
    ['a file twice', manifest({ images: [entry('a.bin'), entry('a.bin')] }), /a\.bin is listed twice/],
    ['the manifest as an image', manifest({ images: [entry(RECOVERY_MANIFEST_FILE)] }), /cannot be an image/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses a manifest with ${what}`, () => {
      assert.throws(() => parseRecoveryManifest(text, 'the folder X'), (err: unknown) => {
        assert.ok(isRecoveryError(err, 'INVALID_IMAGES'));
        assert.match((err as Error).message, /^The recovery images from the folder X cannot be used: /);
        assert.match((err as Error).message, message);
        return true;
      });
    });
  }

  it('loads a folder and checks every file against the manifest', async () => {
    const folder = writeImageFolder(path.join(root, 'good'));
    const set = await loadRecoveryImagesFromFolder(folder);
    assert.equal(set.images.length, 3);
    assert.equal(set.imageBytes, 2048 + 700 + 1025);
    assert.equal(set.bootloader.length, 1500);

    const missing = writeImageFolder(path.join(root, 'missing'));
    fs.rmSync(path.join(missing, 'two.bin'));
    await assert.rejects(loadRecoveryImagesFromFolder(missing), /two\.bin is missing/);

    const damaged = writeImageFolder(path.join(root, 'damaged'));
    const file = path.join(damaged, 'three.bin');
    const bytes = fs.readFileSync(file);
    bytes[100]! ^= 1;
    fs.writeFileSync(file, bytes);
    await assert.rejects(loadRecoveryImagesFromFolder(damaged), /three\.bin does not match its SHA-256 in the manifest/);

    const short = writeImageFolder(path.join(root, 'short'));
    fs.writeFileSync(path.join(short, 'one.bin'), Buffer.alloc(10));
    await assert.rejects(loadRecoveryImagesFromFolder(short), /one\.bin is 10 bytes; the manifest says 2048/);

    await assert.rejects(loadRecoveryImagesFromFolder(path.join(root, 'nothing-here')), /holds no recovery-manifest\.json/);
  });

  describe('from the cloud emulator', () => {
    let emulator: CloudEmulator;
    let transport: HttpsTransport;
    before(async () => {
      emulator = await startCloudEmulator({ port: 0, stateDir: path.join(root, 'cloud') });
      transport = new HttpsTransport({ extraCaPem: emulator.caCertPem });
    });
    after(() => emulator.close());
    const fetchBytes = async (url: URL): Promise<Buffer> => {
      const res = await transport.send({ method: 'GET', url: url.toString() });
      if (res.status !== 200) throw new Error(`GET ${url.pathname}: ${res.status}`);
      return res.body;
    };

    it('downloads the emulated set over HTTPS and verifies it', async () => {
      const files: string[] = [];
      const set = await downloadRecoveryImages(`${emulator.url}${RECOVERY_IMAGES_PATH}${RECOVERY_MANIFEST_FILE}`, fetchBytes, (file) => files.push(file));
      assert.equal(set.manifest.osVersion, EMULATED_RECOVERY_SET.osVersion);
      assert.equal(set.images.length, EMULATED_RECOVERY_SET.images.length);
      assert.equal(set.imageBytes, EMULATED_RECOVERY_SET.images.reduce((n, i) => n + i.bytes, 0));
      assert.deepEqual(files, ['recovery-1bl.bin', ...EMULATED_RECOVERY_SET.images.map((i) => i.file)]);
    });

    it('refuses plain http and a manifest URL that is not there', async () => {
      await assert.rejects(downloadRecoveryImages(`http://127.0.0.1:1${RECOVERY_IMAGES_PATH}${RECOVERY_MANIFEST_FILE}`, fetchBytes), /over https only/);
      await assert.rejects(downloadRecoveryImages(`${emulator.url}${RECOVERY_IMAGES_PATH}nope.json`, fetchBytes), /404/);
    });
  });
});
