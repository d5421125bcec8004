// GUIDs as the image-package metadata stores them: .NET's Guid.ToByteArray() order (Python's uuid.bytes_le), where
// the first three groups are little-endian and the last two are stored as written. So 2f074b0f-d99d-4692-82d9-…
// is stored 0f 4b 07 2f 9d d9 92 46 82 d9 ….

export const GUID_BYTES = 16;
export const NIL_GUID = '00000000-0000-0000-0000-000000000000';
const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** The lower-case GUID stored in `bytes[at … at+16)` (the caller checks the bounds). */
export function guidFromBytes(bytes: Uint8Array, at: number): string {
  const b = (i: number): string => bytes[at + i]!.toString(16).padStart(2, '0');
  const group = (indexes: number[]): string => indexes.map(b).join('');
  return `${group([3, 2, 1, 0])}-${group([5, 4])}-${group([7, 6])}-${group([8, 9])}-${group([10, 11, 12, 13, 14, 15])}`;
}

/** The 16 stored bytes of a GUID such as 2f074b0f-d99d-4692-82d9-ef93a7d6463c; throws on anything else. */
export function guidToBytes(guid: string): Buffer {
  if (!isGuid(guid)) throw new TypeError(`"${guid}" is not a GUID such as 2f074b0f-d99d-4692-82d9-ef93a7d6463c`);
  const hex = Buffer.from(guid.replace(/-/g, ''), 'hex');
  return Buffer.from([hex[3]!, hex[2]!, hex[1]!, hex[0]!, hex[5]!, hex[4]!, hex[7]!, hex[6]!, ...hex.subarray(8)]);
}
