// app_manifest.json as found in a package: parsed, and cut down to the fields AppManifest names, each kept only when
// it has the documented type, so a hostile manifest cannot hand the views a number where they expect a string.
import type { AppManifest } from './types';

/** Far more than any real manifest (a few hundred bytes); anything larger is not read. */
export const MAX_APP_MANIFEST_BYTES = 64 * 1024;

export type AppManifestResult = { readonly manifest: AppManifest } | { readonly problem: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseAppManifest(bytes: Buffer): AppManifestResult {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, ''));
  } catch (err) {
    return { problem: `app_manifest.json is not JSON (${(err as Error).message})` };
  }
  if (!isObject(value)) return { problem: 'app_manifest.json is not a JSON object' };
  const manifest: Record<string, unknown> = {};
  for (const key of ['SchemaVersion', 'TargetApplicationRuntimeVersion'] as const) {
    if (typeof value[key] === 'number') manifest[key] = value[key];
  }
  for (const key of ['Name', 'ComponentId', 'EntryPoint', 'ApplicationType'] as const) {
    if (typeof value[key] === 'string') manifest[key] = value[key];
  }
  // Arguments the OS passes the app at start; only a list of strings is one (learn.microsoft.com "Application manifest").
  if (Array.isArray(value.CmdArgs) && value.CmdArgs.every((a) => typeof a === 'string')) manifest.CmdArgs = [...(value.CmdArgs as string[])];
  if (isObject(value.Capabilities)) manifest.Capabilities = value.Capabilities;
  // The tenant whose device certificate the app may use (Capabilities.DeviceAuthentication, a tenant ID).
  if (isObject(value.Capabilities) && typeof value.Capabilities.DeviceAuthentication === 'string') {
    manifest.DeviceAuthentication = value.Capabilities.DeviceAuthentication;
  }
  // Real manifests declare mutable storage as a capability; a top-level MutableStorage is taken when that is absent.
  const storage = isObject(value.Capabilities) && isObject(value.Capabilities.MutableStorage) ? value.Capabilities.MutableStorage : value.MutableStorage;
  if (isObject(storage)) manifest.MutableStorage = typeof storage.SizeKB === 'number' ? { SizeKB: storage.SizeKB } : {};
  return { manifest: manifest as AppManifest };
}
