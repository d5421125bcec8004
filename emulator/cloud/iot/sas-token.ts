// Shared access signature tokens, as IoT Hub and DPS check them
// (learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas#sas-token-structure):
// `SharedAccessSignature sr=<url-encoded resource URI>&sig=<url-encoded base64 HMAC-SHA256>&se=<expiry, epoch s>&skn=<policy>`,
// the signature made with the base64-decoded key over `<sr as sent> + "\n" + <se>`. Reasons for a refusal never
// repeat the token or a key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKeys, AccessPolicy, AccessRight } from './access-keys';
import { policiesFor, policyGrants } from './access-keys';
import type { HubKind } from '../model';

export interface SasFields {
  /** As sent (still url-encoded): the signature covers exactly this text. */
  sr: string;
  sig: string;
  se: string;
  skn: string | undefined;
}

export type SasVerdict = { ok: true; policy: AccessPolicy } | { ok: false; reason: string };

const PREFIX = /^SharedAccessSignature\s+/i;

/** The fields of a token, or a reason it is not one. */
export function parseSas(token: string | undefined): SasFields | string {
  if (!token) return 'no SharedAccessSignature was presented';
  if (!PREFIX.test(token)) return 'the credential is not a SharedAccessSignature';
  const fields = new Map<string, string>();
  for (const part of token.replace(PREFIX, '').trim().split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  if (!sr || !sig || !se) return 'the SharedAccessSignature lacks sr, sig or se';
  return { sr, sig, se, skn: fields.get('skn') };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Signed with one of `base64Keys`, unexpired at `nowMs`, for a resource under `resource` (compared without case). */
export function checkSignature(fields: SasFields, resource: string, base64Keys: readonly string[], nowMs: number): string | undefined {
  const sr = decode(fields.sr)?.toLowerCase();
  const wanted = resource.toLowerCase();
  if (sr === undefined || !(sr === wanted || sr.startsWith(`${wanted}/`))) return `the SharedAccessSignature is for another resource than ${resource}`;
  if (!/^\d{1,12}$/.test(fields.se)) return 'the SharedAccessSignature expiry (se) is not a number of seconds';
  const expiry = Number(fields.se) * 1000;
  if (expiry <= nowMs) return `the SharedAccessSignature expired at ${new Date(expiry).toISOString()}`;
  const presented = Buffer.from(decode(fields.sig) ?? '', 'base64');
  const signs = base64Keys.some((key) => {
    const expected = createHmac('sha256', Buffer.from(key, 'base64')).update(`${fields.sr}\n${fields.se}`).digest();
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });
  return signs ? undefined : 'the SharedAccessSignature signature does not match the key';
}

/**
 * A service token (`skn` = one of the hub's or DPS's policies) for `hostName`, whose policy grants `right` (any
 * policy will do when `right` is undefined).
 */
export function verifyServiceSas(
  header: string | undefined,
  target: { hubKey: string; kind: HubKind; hostName: string },
  keys: AccessKeys,
  right: AccessRight | undefined,
  nowMs: number,
): SasVerdict {
  const fields = parseSas(header);
  if (typeof fields === 'string') return { ok: false, reason: fields };
  if (!fields.skn) return { ok: false, reason: 'the SharedAccessSignature names no shared access policy (skn)' };
  const keyName = decode(fields.skn) ?? fields.skn;
  const policy = policiesFor(target.kind).find((p) => p.keyName.toLowerCase() === keyName.toLowerCase());
  if (!policy) return { ok: false, reason: `there is no shared access policy named '${keyName}'` };
  const refused = checkSignature(fields, target.hostName, [keys.key(target.hubKey, policy.keyName, 'primary'), keys.key(target.hubKey, policy.keyName, 'secondary')], nowMs);
  if (refused) return { ok: false, reason: refused };
  if (right !== undefined && !policyGrants(policy, right)) return { ok: false, reason: `the policy '${policy.keyName}' does not grant ${right}` };
  return { ok: true, policy };
}

/** Signs a token the way the Azure IoT SDKs do (for tests and tools talking to the emulator). */
export function signSas(resource: string, base64Key: string, expirySec: number, keyName?: string): string {
  const sr = encodeURIComponent(resource);
  const sig = createHmac('sha256', Buffer.from(base64Key, 'base64')).update(`${sr}\n${expirySec}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expirySec}${keyName ? `&skn=${encodeURIComponent(keyName)}` : ''}`;
}
