// Types for code-server.mjs, so the TypeScript UI tests and benchmarks use it checked.
import type { Browser } from 'playwright-core';

export interface CodeServer {
  url: string;
  port: number;
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}
export interface StartOptions {
  port?: number;
  folder?: string;
  extensionsDir?: string;
  userDataDir?: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  keep?: boolean;
  log?: NodeJS.WritableStream;
}
export function freePort(): Promise<number>;
export function startCodeServer(opts?: StartOptions): Promise<CodeServer>;
export function installVsix(vsixPath: string, extensionsDir: string): Promise<string>;
export function launchChromium(extraArgs?: string[]): Promise<Browser>;
export function workbenchUrl(
  server: CodeServer,
  opts?: { folder?: string; extensionDevelopmentPath?: string; extensionTestsPath?: string },
): string;
export interface LocalServices {
  emulator: { url: string; caCertPath: string };
  board: { deviceId: string | undefined; linkPath: string };
  settings: Record<string, string>;
  stop(): Promise<void>;
}
export function runTestsInWorkbench(opts: {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  onConsole?: (text: string) => void;
}): Promise<number>;
