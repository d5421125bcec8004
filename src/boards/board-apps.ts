// The applications on one board, as the Devices view and the app commands show them: every image of type 10 from
// GET /images, with its state and mutable-storage quota. The debugging server (gdbserver, installed with development
// mode) is listed too, marked, and offers no app actions.
import type { AppQuota, AppState, DeviceRestClient } from '../device';
import { ImageType } from '../device/image-package';

/** The component name the board gives its debugging server. */
const DEBUG_SERVER_NAME = 'gdbserver';

export interface BoardApp {
  readonly componentId: string;
  readonly name: string;
  readonly imageId: string | undefined;
  readonly state: AppState;
  /** Mutable storage used and allowed, in KiB (undefined when the board does not say). */
  readonly quota: AppQuota | undefined;
  readonly isDebugServer: boolean;
  /** Size of the installed image in bytes. */
  readonly sizeBytes: number | undefined;
}

/** What tree nodes and scripted callers pass to app commands. */
export interface AppTarget {
  readonly boardKey: string;
  readonly componentId: string;
}

export function isAppTarget(arg: unknown): arg is AppTarget {
  return typeof arg === 'object' && arg !== null && typeof (arg as AppTarget).boardKey === 'string' && typeof (arg as AppTarget).componentId === 'string';
}

export async function readBoardApps(client: DeviceRestClient): Promise<BoardApp[]> {
  const { components } = await client.listImages();
  const apps: BoardApp[] = [];
  for (const component of components.filter((c) => c.image_type === ImageType.applications)) {
    const isDebugServer = component.name === DEBUG_SERVER_NAME;
    const state = await client.getAppStatus(component.uid);
    // Quota exists for apps with mutable storage; a board that refuses it for one app still lists the others.
    const quota = isDebugServer ? undefined : await client.getAppQuota(component.uid).catch(() => undefined);
    const image = component.images[0];
    apps.push({ componentId: component.uid, name: component.name, imageId: image?.uid, state, quota, isDebugServer, sizeBytes: image?.length_in_bytes });
  }
  return apps.sort((a, b) => Number(a.isDebugServer) - Number(b.isDebugServer) || a.name.localeCompare(b.name));
}

/** One line about an app's state and storage, e.g. "running · 12 of 64 KiB". */
export function appSummary(app: BoardApp): string {
  if (app.isDebugServer) return 'debugging server';
  const parts: string[] = [app.state === 'notPresent' ? 'not present' : app.state];
  if (app.quota && app.quota.LimitKB > 0) parts.push(`${app.quota.UsageKB} of ${app.quota.LimitKB} KiB`);
  return parts.join(' · ');
}

/** The first 8 hex digits of the component ID, as people say them: "2f074b0f…". */
export function shortComponentId(app: BoardApp): string {
  return `${app.componentId.slice(0, 8)}…`;
}
