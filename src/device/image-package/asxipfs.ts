// ASXipFS, the file system inside an application package: cramfs (Linux include/uapi/linux/cramfs_fs.h) laid out for
// execute-in-place, so file data is stored uncompressed at the inode's offset rather than as zlib blocks behind a
// block-pointer table. Only the root directory is read here, which is where app_manifest.json lives.

/** The superblock's first word (cramfs_fs.h CRAMFS_MAGIC). */
export const CRAMFS_MAGIC = 0x28cd3d45;
/** At byte 16 of the superblock (CRAMFS_SIGNATURE). */
export const CRAMFS_SIGNATURE = 'Compressed ROMFS';
export const CRAMFS_SIGNATURE_OFFSET = 16;
/** struct cramfs_super up to its root inode: magic, size, flags, future, signature[16], fsid (4 × u32), name[16]. */
export const CRAMFS_SUPERBLOCK_BYTES = 64;
/** struct cramfs_inode: mode:16 uid:16 / size:24 gid:8 / namelen:6 offset:26. */
export const CRAMFS_INODE_BYTES = 12;
/** CRAMFS_FLAG_FSID_VERSION_2 | CRAMFS_FLAG_SORTED_DIRS, as in the SDK's packages. */
export const CRAMFS_FLAGS = 0x3;
/** Namelen and offset count 4-byte units. */
export const CRAMFS_UNIT = 4;
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export const APP_MANIFEST_FILE = 'app_manifest.json';

export interface CramfsInode {
  readonly mode: number;
  /** Bytes of file data; for a directory, bytes of its entries (inodes and names). */
  readonly size: number;
  /** Bytes of the padded name that follows the inode. */
  readonly nameBytes: number;
  /** Byte offset of the file's data, or of a directory's first entry. */
  readonly offset: number;
}

/** The inode at `at`; the caller checks that 12 bytes are there. Bit fields are packed from the low bits up. */
export function readCramfsInode(fs: Buffer, at: number): CramfsInode {
  const modeWord = fs.readUInt32LE(at);
  const sizeWord = fs.readUInt32LE(at + 4);
  const nameWord = fs.readUInt32LE(at + 8);
  return {
    mode: modeWord & 0xffff,
    size: sizeWord & 0xffffff,
    nameBytes: (nameWord & 0x3f) * CRAMFS_UNIT,
    offset: (nameWord >>> 6) * CRAMFS_UNIT,
  };
}

export type RootFileResult = { readonly bytes: Buffer } | { readonly problem: string };

/** True when the padded name at fs[at, at+padded) is `wanted` followed only by NUL padding. */
function nameIs(fs: Buffer, at: number, padded: number, wanted: Buffer): boolean {
  if (padded < wanted.length || fs.compare(wanted, 0, wanted.length, at, at + wanted.length) !== 0) return false;
  for (let i = at + wanted.length; i < at + padded; i++) if (fs[i] !== 0) return false;
  return true;
}

/**
 * The bytes of the regular file `name` in the root directory of the ASXipFS image `fs` (a view into it), or why it
 * cannot be had. Files larger than `maxBytes` are refused rather than read. Each step of the walk moves forward by at
 * least one inode and stays inside the root directory's entries, so it ends whatever the fields say.
 */
export function readAsxipfsRootFile(fs: Buffer, name: string, maxBytes: number): RootFileResult {
  if (fs.length < CRAMFS_SUPERBLOCK_BYTES + CRAMFS_INODE_BYTES || fs.readUInt32LE(0) !== CRAMFS_MAGIC) {
    return { problem: 'the payload is not an ASXipFS file system (no cramfs magic at its start)' };
  }
  if (fs.toString('latin1', CRAMFS_SIGNATURE_OFFSET, CRAMFS_SIGNATURE_OFFSET + CRAMFS_SIGNATURE.length) !== CRAMFS_SIGNATURE) {
    return { problem: `the payload is not an ASXipFS file system (no "${CRAMFS_SIGNATURE}" signature)` };
  }
  const root = readCramfsInode(fs, CRAMFS_SUPERBLOCK_BYTES);
  if ((root.mode & S_IFMT) !== S_IFDIR) return { problem: 'the root of the file system is not a directory' };
  const end = root.offset + root.size;
  if (end > fs.length) return { problem: 'the root directory of the file system runs past the file system' };
  const wanted = Buffer.from(name, 'utf8');
  for (let at = root.offset; at + CRAMFS_INODE_BYTES <= end; ) {
    const entry = readCramfsInode(fs, at);
    const nameAt = at + CRAMFS_INODE_BYTES;
    if (entry.nameBytes === 0 || nameAt + entry.nameBytes > end) return { problem: 'the root directory of the file system is damaged' };
    if (nameIs(fs, nameAt, entry.nameBytes, wanted)) {
      if ((entry.mode & S_IFMT) !== S_IFREG) return { problem: `${name} in the file system is not a regular file` };
      if (entry.size > maxBytes) return { problem: `${name} is ${entry.size} bytes long, more than the ${maxBytes} bytes read` };
      if (entry.offset + entry.size > fs.length) return { problem: `${name} runs past the end of the file system` };
      return { bytes: fs.subarray(entry.offset, entry.offset + entry.size) };
    }
    at = nameAt + entry.nameBytes;
  }
  return { problem: `the file system has no ${name}` };
}
