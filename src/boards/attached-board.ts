// One board the device service sees, with the facts read from it once it attached (device ID, OS version,
// security state). Plain data: the model updates it and says so through its events.
import type { BoardDescriptor } from '../device';
import { DeviceCapability } from '../device/image-package';

const APP_DEVELOPMENT_CAPABILITY = DeviceCapability.enableAppDevelopment;

export interface BoardFacts {
  deviceId: string;
  /** Undefined when the board's REST API is too old to say (before 4.5.0). */
  osVersion: string | undefined;
  securityState: string;
  restApiVersion: string;
  /** The board's capabilities (11: application development); undefined when it did not say. */
  capabilities: readonly number[] | undefined;
}

export class AttachedBoard {
  facts: BoardFacts | undefined;
  /** Why reading the facts failed, when it did (shown on the board's node, which retries on click). */
  factsError: string | undefined;
  /** While a recovery runs: how far it is (0–100) and its current step. */
  recovery: { percent: number; step: string } | undefined;

  constructor(readonly descriptor: BoardDescriptor) {}

  get key(): string {
    return this.descriptor.key;
  }

  get deviceId(): string | undefined {
    return this.facts?.deviceId ?? this.descriptor.deviceId;
  }

  /** The first 8 hex digits, as people say them; the full 128 are in tooltips and on copy. */
  get shortId(): string | undefined {
    const id = this.deviceId;
    return id ? `${id.slice(0, 8).toUpperCase()}…` : undefined;
  }

  /** Where the board is reached: its serial port, or its address on the OS route. */
  get connectionPath(): string {
    return this.descriptor.portPath ?? this.descriptor.ipAddress ?? '';
  }

  /** A name for messages: "sim-1a2b3c4d (9F0C12AB…)". */
  /** True when the board allows sideloading and debugging (the AppDevelopment capability). */
  get inDevelopmentMode(): boolean {
    return this.facts?.capabilities?.includes(APP_DEVELOPMENT_CAPABILITY) ?? false;
  }

  get label(): string {
    return this.shortId ? `${this.descriptor.name} (${this.shortId})` : this.descriptor.name;
  }
}
