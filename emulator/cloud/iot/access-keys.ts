// Shared access policies of the emulated hubs and DPSs and their keys (what ARM `listkeys` returns and what SAS
// tokens are signed with). The keys are HMACs of one random secret kept in the state folder, so they are the same
// after every restart without ever being written to the journal, and differ between state folders.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../files';
import type { HubKind } from '../model';

/** A right a SAS token's policy grants (learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas, DPS: …/iot-dps/how-to-control-access). */
export type AccessRight =
  | 'RegistryRead'
  | 'RegistryWrite'
  | 'ServiceConnect'
  | 'DeviceConnect'
  | 'ServiceConfig'
  | 'EnrollmentRead'
  | 'EnrollmentWrite'
  | 'RegistrationStatusRead'
  | 'RegistrationStatusWrite';

export interface AccessPolicy {
  keyName: string;
  rights: readonly AccessRight[];
}

/** The policies a new IoT hub has (learn.microsoft.com/azure/iot-hub/authenticate-authorize-sas#access-control-and-permissions). */
export const IOT_HUB_POLICIES: readonly AccessPolicy[] = [
  { keyName: 'iothubowner', rights: ['RegistryWrite', 'ServiceConnect', 'DeviceConnect'] },
  { keyName: 'service', rights: ['ServiceConnect'] },
  { keyName: 'device', rights: ['DeviceConnect'] },
  { keyName: 'registryRead', rights: ['RegistryRead'] },
  { keyName: 'registryReadWrite', rights: ['RegistryWrite'] },
];

/** The policy a new DPS has. */
export const DPS_POLICIES: readonly AccessPolicy[] = [{ keyName: 'provisioningserviceowner', rights: ['ServiceConfig', 'DeviceConnect', 'EnrollmentWrite'] }];

/** Rights that include others: write access to the registry reads it too, as in IoT Hub and DPS. */
const IMPLIED: Partial<Record<AccessRight, readonly AccessRight[]>> = {
  RegistryWrite: ['RegistryRead'],
  EnrollmentWrite: ['EnrollmentRead', 'RegistrationStatusRead', 'RegistrationStatusWrite'],
  RegistrationStatusWrite: ['RegistrationStatusRead'],
};

export function policyGrants(policy: AccessPolicy, right: AccessRight): boolean {
  return policy.rights.some((r) => r === right || (IMPLIED[r] ?? []).includes(right));
}

export function policiesFor(kind: HubKind): readonly AccessPolicy[] {
  return kind === 'IotHubs' ? IOT_HUB_POLICIES : DPS_POLICIES;
}

export interface PolicyKeys {
  keyName: string;
  primaryKey: string;
  secondaryKey: string;
  rights: string;
}

const SECRET_FILE = 'iot-access-keys.secret';

export class AccessKeys {
  private constructor(private readonly secret: Buffer) {}

  /** The state folder's key secret, made on first use (32 random bytes, readable by the owner only). */
  static loadOrCreate(stateDir: string): AccessKeys {
    const path = join(stateDir, SECRET_FILE);
    if (existsSync(path)) {
      const secret = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
      if (secret.length !== 32) throw new Error(`${path} is damaged (it must hold 32 base64 bytes); delete it to make new hub and DPS keys`);
      return new AccessKeys(secret);
    }
    const secret = randomBytes(32);
    writeFileDurably(path, secret.toString('base64'));
    return new AccessKeys(secret);
  }

  /** A 32-byte key in base64, as Azure's generated keys are. */
  key(hubKey: string, keyName: string, which: 'primary' | 'secondary'): string {
    return createHmac('sha256', this.secret).update(`${hubKey}\n${keyName}\n${which}`).digest('base64');
  }

  /** Both keys of every policy of the hub or DPS, in the shape of ARM's listkeys. */
  listKeys(hubKey: string, kind: HubKind): PolicyKeys[] {
    return policiesFor(kind).map((p) => ({
      keyName: p.keyName,
      primaryKey: this.key(hubKey, p.keyName, 'primary'),
      secondaryKey: this.key(hubKey, p.keyName, 'secondary'),
      rights: p.rights.join(', '),
    }));
  }
}
