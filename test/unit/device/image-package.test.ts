// Image packages and capability files: the writer (emulator/common) and the reader (src/device/image-package) agree on
// every field; the reader decodes GUIDs and cramfs inodes as the public format lays them out, not merely as our writer
// does; every malformed file gets its own sentence; and no byte sequence makes the reader throw anything else or dawdle.
import * as assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import {
  CAPABILITY_COMPONENT_ID,
  testSigningKey,
  writeCapabilityImage,
  writeImagePackage,
  type ImagePackageSpec,
} from '../../../emulator/common/image-package-writer';
import {
  APP_DEVELOPMENT_SIGNING_THUMBPRINT,
  DeviceCapability,
  ImagePackageError,
  ImageType,
  isImagePackageError,
  readCapabilityImage,
  readImagePackage,
  readImagePackageFile,
  type ImagePackageErrorCode,
} from '../../../src/device/image-package';
import { testSeed } from '../../helpers/test-seed';

const COMPONENT_ID = '2f074b0f-d99d-4692-82d9-ef93a7d6463c';
const IMAGE_ID = '6415a939-c098-48cf-8e5c-02b52a9f0ffb';
const DEVICE_ID = '7BEE580B2EB6391D272AB42BF62FDDCC4E0AAB7475C0B1AFFB0D5CE24F2AACBA1E424224D6B571005518AEFD89A900D9A33EB2E8795598CF63826E348CBCDAA2';
const MANIFEST = {
  SchemaVersion: 1,
  Name: 'Blink',
  ComponentId: COMPONENT_ID,
  EntryPoint: '/bin/app',
  CmdArgs: [],
  Capabilities: { Gpio: [8], AllowedApplicationConnections: [] },
  ApplicationType: 'Default',
  TargetApplicationRuntimeVersion: 12,
  MutableStorage: { SizeKB: 8 },
};

const spec = (patch: Partial<ImagePackageSpec> = {}): ImagePackageSpec => ({
  componentId: COMPONENT_ID,
  imageId: IMAGE_ID,
  name: 'Blink',
  buildDate: new Date('2022-06-09T14:57:48Z'),
  underDevelopment: true,
  manifest: MANIFEST,
  files: { 'bin/app': 3000 },
  ...patch,
});

/** Where the metadata starts, as the format defines it (not through the reader). */
function metadataStart(pkg: Buffer): number {
  return pkg.length - 64 - pkg.readUInt32LE(pkg.length - 68);
}

/** Offset of the header of section `id` (two letters), walking the sections by hand. */
function sectionAt(pkg: Buffer, id: string): number {
  const start = metadataStart(pkg);
  let at = start + 8;
  for (let i = 0; i < pkg.readUInt32LE(start + 4); i++) {
    if (pkg.toString('latin1', at, at + 2) === id) return at;
    at += 4 + pkg.readUInt16LE(at + 2);
  }
  throw new Error(`no ${id} section`);
}

function refusal(bytes: Buffer, code: ImagePackageErrorCode, message: RegExp | string, read: (bytes: Buffer) => object = readImagePackage): void {
  assert.throws(
    () => read(bytes),
    (err: unknown) => {
      assert.ok(isImagePackageError(err, code), `expected ${code}, got ${String(err)}`);
      if (typeof message === 'string') assert.equal(err.message, message);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('image packages', () => {
  describe('writer → reader round trip', () => {
    it('reads back every field the writer was given', () => {
      const pkg = writeImagePackage(spec());
      const info = readImagePackage(pkg);
      assert.deepEqual(info, {
        componentId: COMPONENT_ID,
        imageId: IMAGE_ID,
        imageType: 10,
        imageTypeName: 'Applications',
        name: 'Blink',
        buildDate: new Date('2022-06-09T14:57:48Z'),
        underDevelopment: true,
        removeAtBoot: false,
        signingThumbprint: APP_DEVELOPMENT_SIGNING_THUMBPRINT,
        signingType: 1,
        abiDepends: [{ version: 12, type: 3 }],
        abiProvides: [],
        manifest: {
          SchemaVersion: 1,
          Name: 'Blink',
          ComponentId: COMPONENT_ID,
          EntryPoint: '/bin/app',
          CmdArgs: [],
          Capabilities: { Gpio: [8], AllowedApplicationConnections: [] },
          ApplicationType: 'Default',
          TargetApplicationRuntimeVersion: 12,
          MutableStorage: { SizeKB: 8 },
        },
        length: pkg.length,
        signedLength: pkg.length - 64,
      });
    });

    for (const [removeAtBoot, underDevelopment] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`keeps the Temporary Image flags apart (RemoveAtBoot ${removeAtBoot}, UnderDevelopment ${underDevelopment})`, () => {
        const info = readImagePackage(writeImagePackage(spec({ removeAtBoot, underDevelopment })));
        assert.equal(info.removeAtBoot, removeAtBoot);
        assert.equal(info.underDevelopment, underDevelopment);
      });
    }

    it('reads other image types with a raw payload, without looking for a manifest', () => {
      const info = readImagePackage(writeImagePackage(spec({ imageType: ImageType.customerBoardConfig, manifest: undefined, files: undefined, payload: Buffer.from('board config'), signingThumbprint: 'ab'.repeat(20) })));
      assert.equal(info.imageType, 21);
      assert.equal(info.imageTypeName, 'Board configuration');
      assert.equal(info.signingThumbprint, 'ab'.repeat(20));
      assert.equal(info.manifest, undefined);
      assert.equal(info.manifestProblem, undefined);
      assert.deepEqual(info.abiDepends, []);
    });

    it('stores GUIDs in .NET byte order (first three groups little-endian)', () => {
      const pkg = writeImagePackage(spec());
      const identity = sectionAt(pkg, 'ID');
      assert.equal(pkg.readUInt16LE(identity), 0x4449, "the section ID 'ID' is the u16 0x4449");
      assert.equal(pkg.readUInt16LE(identity + 2), 36);
      assert.equal(pkg.toString('hex', identity + 8, identity + 24), '0f4b072f9dd9924682d9ef93a7d6463c');
      assert.equal(pkg.toString('hex', identity + 24, identity + 40), '39a9156498c0cf488e5c02b52a9f0ffb');
    });

    it('reads a Uint8Array as well as a Buffer', () => {
      const pkg = writeImagePackage(spec());
      assert.equal(readImagePackage(new Uint8Array(pkg)).componentId, COMPONENT_ID);
    });
  });

  describe('the application manifest', () => {
    it('is found by walking cramfs inodes laid out by hand, per cramfs_fs.h', () => {
      // Superblock, root inode (directory; 32 bytes of entries at byte 76), one entry: a regular file of
      // 15 bytes, name "app_manifest.json" padded to 20 bytes (namelen 5), data at byte 128 (offset 32).
      const text = '{"Name":"Hand"}';
      const fsImage = Buffer.alloc(128 + 16);
      fsImage.writeUInt32LE(0x28cd3d45, 0);
      fsImage.write('Compressed ROMFS', 16, 'latin1');
      fsImage.writeUInt32LE(0o040755, 64);
      fsImage.writeUInt32LE(32, 68);
      fsImage.writeUInt32LE((76 / 4) << 6, 72);
      fsImage.writeUInt32LE(0o100644, 76);
      fsImage.writeUInt32LE(text.length, 80);
      fsImage.writeUInt32LE(5 | ((128 / 4) << 6), 84);
      fsImage.write('app_manifest.json', 88, 'latin1');
      fsImage.write(text, 128, 'latin1');
      const info = readImagePackage(writeImagePackage(spec({ manifest: undefined, files: undefined, payload: fsImage })));
      assert.deepEqual(info.manifest, { Name: 'Hand' });
    });

    it('is read from among other files and folders of the root', () => {
      const info = readImagePackage(writeImagePackage(spec({ files: { 'a.txt': 'x', 'bin/app': 10, 'z/deep/file': 'y', 'zz.bin': 5 } })));
      assert.equal(info.manifest?.Name, 'Blink');
    });

    it('takes mutable storage from Capabilities, where manifests declare it, before a top-level MutableStorage', () => {
      const read = (manifest: Record<string, unknown>) => readImagePackage(writeImagePackage(spec({ manifest }))).manifest?.MutableStorage;
      assert.deepEqual(read({ Capabilities: { Gpio: [12], MutableStorage: { SizeKB: 8 } } }), { SizeKB: 8 });
      assert.deepEqual(read({ Capabilities: { MutableStorage: { SizeKB: 8 } }, MutableStorage: { SizeKB: 64 } }), { SizeKB: 8 });
      assert.deepEqual(read({ Capabilities: { Gpio: [12] }, MutableStorage: { SizeKB: 64 } }), { SizeKB: 64 });
      assert.equal(read({ Capabilities: { Gpio: [12] } }), undefined);
    });

    it('keeps only the fields that have their documented types', () => {
      const info = readImagePackage(writeImagePackage(spec({ manifest: { Name: 5, EntryPoint: '/bin/app', Capabilities: [1], MutableStorage: { SizeKB: 'big' } } })));
      assert.deepEqual(info.manifest, { EntryPoint: '/bin/app', MutableStorage: {} });
    });

    it('reads CmdArgs and the DeviceAuthentication tenant an IoT app is configured with, as Microsoft\'s AzureIoT sample sets them', () => {
      const tenant = '9d7e1b2c-0000-4000-8000-0000000000aa';
      const read = (manifest: Record<string, unknown>) => readImagePackage(writeImagePackage(spec({ manifest }))).manifest;
      const hub = read({ CmdArgs: ['--ConnectionType', 'IoTHub', '--Hostname', '127.0.0.1:40001'], Capabilities: { AllowedConnections: ['127.0.0.1'], DeviceAuthentication: tenant } });
      assert.deepEqual(hub?.CmdArgs, ['--ConnectionType', 'IoTHub', '--Hostname', '127.0.0.1:40001']);
      assert.equal(hub?.DeviceAuthentication, tenant);
      const odd = read({ CmdArgs: ['--ScopeID', 7], Capabilities: { DeviceAuthentication: 42 }, DeviceAuthentication: tenant });
      assert.equal(odd?.CmdArgs, undefined, 'a list with a non-string is no CmdArgs');
      assert.equal(odd?.DeviceAuthentication, undefined, 'only Capabilities.DeviceAuthentication counts, and only as a string');
    });

    const unreadable: [string, Partial<ImagePackageSpec>, RegExp][] = [
      ['no manifest in the root', { manifest: undefined, files: { 'bin/app_manifest.json': '{}' } }, /the file system has no app_manifest\.json/],
      ['a manifest that is not JSON', { manifest: undefined, files: { 'app_manifest.json': '{"Name":' } }, /app_manifest\.json is not JSON/],
      ['a manifest that is a JSON array', { manifest: undefined, files: { 'app_manifest.json': '[1]' } }, /not a JSON object/],
      ['a manifest folder', { manifest: undefined, files: { 'app_manifest.json/x': '{}' } }, /app_manifest\.json in the file system is not a regular file/],
      ['a payload that is no file system', { manifest: undefined, files: undefined, payload: Buffer.alloc(100, 1) }, /not an ASXipFS file system/],
    ];
    for (const [what, patch, problem] of unreadable) {
      it(`leaves the manifest out, but still reads the package, for ${what}`, () => {
        const info = readImagePackage(writeImagePackage(spec(patch)));
        assert.equal(info.componentId, COMPONENT_ID);
        assert.equal(info.manifest, undefined);
        assert.match(info.manifestProblem ?? '', problem);
      });
    }
  });

  describe('malformed packages', () => {
    const valid = (): Buffer => writeImagePackage(spec());

    it('refuses a file shorter than any package', () => {
      refusal(Buffer.alloc(12), 'TOO_SHORT', 'The file is not an Azure Sphere image package: it is 12 bytes long, shorter than any package (76 bytes).');
    });

    it('refuses a file whose length field points to no metadata header', () => {
      const pkg = valid();
      pkg[metadataStart(pkg)] ^= 0xff;
      refusal(pkg, 'NO_METADATA', /: it has no metadata header \(magic 0x4D345834 not found where the length field points\)\.$/);
    });

    it('refuses a length field that points before the start of the file', () => {
      const pkg = Buffer.alloc(200);
      pkg.writeUInt32LE(0xffff_fff0, pkg.length - 68);
      refusal(pkg, 'NO_METADATA', /magic 0x4D345834 not found where the length field points/);
    });

    it('refuses metadata with zero sections', () => {
      const pkg = valid();
      pkg.writeUInt32LE(0, metadataStart(pkg) + 4);
      refusal(pkg, 'NO_SECTIONS', /: its metadata has no sections\.$/);
    });

    it('refuses a section count beyond the metadata', () => {
      const pkg = valid();
      pkg.writeUInt32LE(6, metadataStart(pkg) + 4);
      refusal(pkg, 'SECTION_OVERRUN', /a section overruns the metadata \(the header counts 6 sections, but the metadata ends after 5\)/);
    });

    it('refuses a section longer than the metadata left', () => {
      const pkg = valid();
      pkg.writeUInt16LE(0xffff, sectionAt(pkg, 'DB') + 2);
      refusal(pkg, 'SECTION_OVERRUN', /a section overruns the metadata \(section 3, Debug \(DB\), is 65535 bytes long, but only \d+ bytes of metadata are left\)/);
    });

    it('refuses metadata without an Identity section', () => {
      const pkg = valid();
      pkg.write('XX', sectionAt(pkg, 'ID'), 'latin1');
      refusal(pkg, 'NO_IDENTITY', /: its metadata has no Identity section\.$/);
    });

    it('refuses a second Identity section', () => {
      const pkg = valid();
      pkg.write('ID', sectionAt(pkg, 'SG'), 'latin1');
      refusal(pkg, 'DUPLICATE_SECTION', /its metadata has two Identity sections/);
    });

    it('refuses an all-zero component ID, and an all-zero image ID', () => {
      refusal(writeImagePackage(spec({ componentId: '00000000-0000-0000-0000-000000000000' })), 'NIL_COMPONENT_ID', /: the component ID is all zeros/);
      refusal(writeImagePackage(spec({ imageId: '00000000-0000-0000-0000-000000000000' })), 'NIL_IMAGE_ID', /: the image ID is all zeros/);
    });

    it('refuses an ABI section that lists more entries than it holds', () => {
      const pkg = valid();
      pkg.writeUInt32LE(0xffff_ffff, sectionAt(pkg, 'ND') + 4);
      refusal(pkg, 'BAD_SECTION', /its ABI Depends section lists 4294967295 entries, more than its 12 bytes hold/);
    });

    it('refuses a build time that is no possible date', () => {
      const pkg = valid();
      pkg.writeBigUInt64LE(0xffff_ffff_ffff_ffffn, sectionAt(pkg, 'DB') + 4);
      refusal(pkg, 'BAD_SECTION', /build time .* is not a possible date/);
    });

    it('refuses a valid package cut short anywhere, and says so when the header is still there', () => {
      const pkg = writeImagePackage(spec({ files: undefined }));
      for (let cut = 0; cut < pkg.length; cut++) {
        assert.throws(() => readImagePackage(pkg.subarray(0, cut)), ImagePackageError, `cut at ${cut}`);
      }
      refusal(pkg.subarray(0, pkg.length - 10), 'NO_METADATA', new RegExp(`there is one at byte ${metadataStart(pkg)}, so the file looks cut short`));
    });

    it('names the file in its messages', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-package-'));
      try {
        const file = path.join(dir, 'broken.imagepackage');
        fs.writeFileSync(file, Buffer.alloc(12));
        await assert.rejects(readImagePackageFile(file), { code: 'TOO_SHORT', message: `${file} is not an Azure Sphere image package: it is 12 bytes long, shorter than any package (76 bytes).` });
        await assert.rejects(readImagePackageFile(path.join(dir, 'missing')), { code: 'UNREADABLE', message: `Cannot read ${path.join(dir, 'missing')}: there is no such file.` });
        await assert.rejects(readImagePackageFile(dir), { code: 'UNREADABLE', message: `Cannot read ${dir}: it is a folder.` });
        const good = path.join(dir, 'good.imagepackage');
        fs.writeFileSync(good, writeImagePackage(spec()));
        assert.equal((await readImagePackageFile(good)).name, 'Blink');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('signatures', () => {
    it('signs everything before the signature with ECDSA P-256 / SHA-256, raw r‖s', () => {
      const pkg = writeImagePackage(spec());
      const info = readImagePackage(pkg);
      const key = createPublicKey(testSigningKey());
      const check = (bytes: Buffer): boolean => verify('sha256', bytes.subarray(0, info.signedLength), { key, dsaEncoding: 'ieee-p1363' }, bytes.subarray(info.signedLength));
      assert.equal(pkg.length - info.signedLength, 64);
      assert.ok(check(pkg));
      const tampered = Buffer.from(pkg);
      tampered[100] ^= 1;
      assert.ok(!check(tampered));
    });

    it('signs with the key it is given', () => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const pkg = writeImagePackage(spec({ signingKey: privateKey }));
      assert.ok(verify('sha256', pkg.subarray(0, -64), { key: publicKey, dsaEncoding: 'ieee-p1363' }, pkg.subarray(-64)));
      assert.ok(!verify('sha256', pkg.subarray(0, -64), { key: createPublicKey(testSigningKey()), dsaEncoding: 'ieee-p1363' }, pkg.subarray(-64)));
      assert.throws(() => writeImagePackage(spec({ signingKey: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey })), /EC P-256/);
    });

    it('reads a P-384 image (96-byte signature) only when its Signature section says ECDsa384', () => {
      const p256 = writeImagePackage(spec());
      const unsigned = Buffer.from(p256.subarray(0, -64));
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      const signed = (signingType: number): Buffer => {
        unsigned.writeUInt32LE(signingType, sectionAt(p256, 'SG') + 4 + 20);
        return Buffer.concat([unsigned, sign('sha384', unsigned, { key: privateKey, dsaEncoding: 'ieee-p1363' })]);
      };
      const p384 = signed(2);
      assert.equal(p384.length - unsigned.length, 96);
      const info = readImagePackage(p384);
      assert.equal(info.signingType, 2);
      assert.equal(info.signedLength, unsigned.length);
      refusal(signed(1), 'NO_METADATA', /magic 0x4D345834 not found/);
    });
  });

  describe('capability files', () => {
    it('round-trips the device ID and capabilities', () => {
      const file = writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [DeviceCapability.enableAppDevelopment, DeviceCapability.enableFieldServicing] });
      assert.equal(file.length, 204 + 124 + 64);
      assert.equal(file.readUInt32LE(0), 0x5cfd5cfd);
      assert.equal(file.readUInt32LE(8), 204);
      const info = readCapabilityImage(file);
      assert.deepEqual({ ...info, imageId: undefined }, { deviceId: DEVICE_ID.toLowerCase(), capabilities: [11, 13], componentId: CAPABILITY_COMPONENT_ID, imageId: undefined });
      const asPackage = readImagePackage(file);
      assert.equal(asPackage.imageType, ImageType.firmwareConfig);
      assert.equal(asPackage.imageTypeName, 'Firmware config');
      assert.equal(asPackage.name, 'fw_config');
      assert.equal(asPackage.imageId, info.imageId);
      assert.ok(verify('sha256', file.subarray(0, -64), { key: createPublicKey(testSigningKey()), dsaEncoding: 'ieee-p1363' }, file.subarray(-64)));
    });

    it('gives equal requests equal image IDs, and different ones different IDs', () => {
      const id = (capabilities: number[]): string => readCapabilityImage(writeCapabilityImage({ deviceId: DEVICE_ID, capabilities })).imageId;
      assert.equal(id([11]), id([11]));
      assert.notEqual(id([11]), id([12]));
    });

    it('refuses an application package, a bad magic and another version as capability files', () => {
      refusal(writeImagePackage(spec()), 'NOT_CAPABILITY_FILE', 'The file is not a device capability file: it is an image package of type 10 (Applications), not 13 (Firmware config).', readCapabilityImage);
      const badMagic = writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [11] });
      badMagic[0] = 0;
      refusal(badMagic, 'NOT_CAPABILITY_FILE', /does not start with the capability magic 0x5CFD5CFD/, readCapabilityImage);
      const version2 = writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [11] });
      version2.writeUInt32LE(2, 4);
      refusal(version2, 'NOT_CAPABILITY_FILE', /capability format version 2; only version 1 is read/, readCapabilityImage);
      refusal(Buffer.alloc(12), 'TOO_SHORT', /^The file is not a device capability file: it is 12 bytes long/, readCapabilityImage);
    });

    it('refuses to write a malformed request', () => {
      assert.throws(() => writeCapabilityImage({ deviceId: DEVICE_ID.slice(1), capabilities: [11] }), /128 hex/);
      assert.throws(() => writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [0] }), /from 1 to 255/);
      assert.throws(() => writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [11, 11] }), /listed twice/);
    });
  });

  it('reads a 1 MiB package quickly', () => {
    const pkg = writeImagePackage(spec({ files: { 'bin/app': 1024 * 1024 } }));
    assert.ok(pkg.length > 1024 * 1024);
    const started = performance.now();
    const info = readImagePackage(pkg);
    const elapsed = performance.now() - started;
    assert.equal(info.manifest?.Name, 'Blink');
    assert.ok(elapsed < 200, `took ${elapsed.toFixed(1)} ms`);
  });

  describe('hostile input (property)', () => {
    const LIMIT_MS = 50;

    /** One read: a result or an ImagePackageError, and how long it took. */
    function timedRead(read: (bytes: Buffer) => object, bytes: Buffer): number {
      const started = performance.now();
      try {
        const info = read(bytes);
        if ('buildDate' in info && info.buildDate instanceof Date) assert.ok(!Number.isNaN(info.buildDate.getTime()));
      } catch (err) {
        if (!(err instanceof ImagePackageError)) throw err;
      }
      return performance.now() - started;
    }

    /**
     * Runs both readers; anything but a result or an ImagePackageError, or a slow answer, fails the property. A slow
     * read is timed twice more: a reader that loops on a field is slow every time, while a GC pause or a busy CPU
     * (other test runs share this machine) is not.
     */
    function readsSafely(bytes: Buffer): void {
      for (const read of [readImagePackage, readCapabilityImage]) {
        let elapsed = timedRead(read, bytes);
        for (let retry = 0; retry < 2 && elapsed >= LIMIT_MS; retry++) elapsed = Math.min(elapsed, timedRead(read, bytes));
        assert.ok(elapsed < LIMIT_MS, `took ${elapsed.toFixed(1)} ms on ${bytes.length} bytes, three times over`);
      }
    }

    it('survives random bytes', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => readsSafely(Buffer.from(bytes))), { seed: testSeed(), numRuns: 300 });
    });

    it('survives random metadata behind a well-formed trailer', () => {
      const section = fc.record({
        id: fc.oneof(fc.constantFrom('ID', 'SG', 'DB', 'TP', 'ND', 'NP'), fc.string({ minLength: 2, maxLength: 2 })),
        declared: fc.option(fc.integer({ min: 0, max: 0xffff })),
        data: fc.uint8Array({ maxLength: 60 }),
      });
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(section, { maxLength: 8 }), fc.option(fc.nat()), (payload, sections, count) => {
          const parts = sections.map(({ id, declared, data }) => {
            const header = Buffer.alloc(4);
            header.write(id, 0, 'latin1');
            header.writeUInt16LE(declared ?? data.length, 2);
            return Buffer.concat([header, data]);
          });
          const head = Buffer.alloc(8);
          head.writeUInt32LE(0x4d345834, 0);
          head.writeUInt32LE(count ?? sections.length, 4);
          const body = Buffer.concat([head, ...parts]);
          const length = Buffer.alloc(4);
          length.writeUInt32LE(body.length + 4);
          readsSafely(Buffer.concat([payload, body, length, Buffer.alloc(64)]));
        }),
        { seed: testSeed(), numRuns: 500 },
      );
    });

    it('survives any truncation, bit flip or overwritten word of a valid package', () => {
      const pkg = writeImagePackage(spec({ files: { 'bin/app': 100, 'a/b': 'c' } }));
      const capability = writeCapabilityImage({ deviceId: DEVICE_ID, capabilities: [11] });
      // Damage lands where it matters most: the file system's header and directories, and the metadata.
      const position = (bytes: Buffer) => fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: Math.max(0, bytes.length - 300), max: bytes.length - 1 }));
      const damage = (bytes: Buffer) =>
        fc.oneof(
          fc.integer({ min: 0, max: bytes.length }).map((cut) => bytes.subarray(0, cut)),
          fc.array(fc.tuple(position(bytes), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((flips) => {
            const copy = Buffer.from(bytes);
            for (const [at, bit] of flips) copy[at]! ^= 1 << bit;
            return copy;
          }),
          fc.tuple(position(bytes), fc.nat()).map(([at, value]) => {
            const copy = Buffer.from(bytes);
            if (at + 4 <= copy.length) copy.writeUInt32LE(value >>> 0, at);
            return copy;
          }),
        );
      fc.assert(fc.property(fc.oneof(damage(pkg), damage(capability)), readsSafely), { seed: testSeed(), numRuns: 1000 });
    });
  });
});
