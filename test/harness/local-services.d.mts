import type { LocalServices } from './code-server.mjs';
export function startLocalServices(opts: { stateDir: string; emulatorPort?: number; log?: NodeJS.WritableStream }): Promise<LocalServices>;
