import type { LocalServices } from './code-server.mjs';
export function startLocalServices(opts: { stateDir: string; emulatorPort?: number; log?: NodeJS.WritableStream }): Promise<LocalServices>;
export function cloudSettingsFor(emulator: { url: string; caCertPath: string }): Record<string, string>;
