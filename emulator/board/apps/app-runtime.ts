// The board's applications: what is installed (in the board state, so it survives restarts and power cycles) and
// what runs in this boot (here, in memory). It answers the /app endpoints, installs what `PUT /update/stage` left
// and what the update check downloaded (updates/), and starts every app that was running when the board boots again,
// as the real OS does.
import { badRequest, conflict, DeviceErrorCode, DeviceRestError, notFound } from '../device-errors';
import type { BoardStateStore, InstalledComponentRecord, PersistedBoardState, StagedPackageSummary } from '../board-state';
import { appProcessMemory, storageUsageKB } from './app-metrics';
import { APP_DEVELOPMENT_CAPABILITY, GDBSERVER_COMPONENT_ID, gdbserverRecord } from './debug-server';
import { removeStagedFile, sweepStaging } from './image-staging';

export type AppState = 'running' | 'stopped' | 'debugging' | 'notPresent';
export type AppTrigger = 'start' | 'stop' | 'startDebug';
export type AppControlMode = 'Auto' | 'Manual';

export const APP_TRIGGERS: readonly AppTrigger[] = ['start', 'stop', 'startDebug'];
export const APPLICATION_IMAGE_TYPE = 10;
/** Where a debugged app's gdbserver and its output listen (learn.microsoft.com "Sideload an app": GDB Port 2345, Output Port 2342). */
export const GDB_PORT = 2345;
export const OUTPUT_PORT = 2342;
/** Process IDs handed to apps, in the order they start in one boot; system processes hold the ones below. */
const FIRST_APP_PID = 29;

interface Run {
  /** Board uptime (seconds) when this run began. */
  startedAt: number;
  pid: number;
  debugging: boolean;
}

export interface ImagesComponent {
  uid: string;
  image_type: number;
  is_update_staged: boolean;
  does_image_type_require_restart: boolean;
  name: string;
  images: { uid: string; length_in_bytes: number; uncompressed_length_in_bytes: number; replica_type: number }[];
}

export interface MemoryStats {
  memoryStats: { currentMemoryUsageInBytes: number; userModeMemoryUsageInBytes: number; peakUserModeMemoryUsageInBytes: number };
  apps: { componentId: string; processes: { pid: number; heapUsageByCaller: { name: string; usageInBytes: number }[] }[] }[];
}

/** What the board read from an application or board configuration package (apps/staged-package.ts). */
export type ComponentSummary = Extract<StagedPackageSummary, { kind: 'component' }>;

const isApplication = (record: InstalledComponentRecord): boolean =>
  record.imageType === APPLICATION_IMAGE_TYPE && record.componentId !== GDBSERVER_COMPONENT_ID;

export class AppRuntime {
  private readonly runs = new Map<string, Run>();
  private nextPid = FIRST_APP_PID;
  private peakUserModeBytes = 0;

  constructor(
    private readonly store: BoardStateStore,
    private readonly uptimeSeconds: () => number,
    /** Told whenever an app starts or ends (the board's IoT connections follow the running apps). */
    private readonly onRunsChanged: () => void = () => undefined,
  ) {}

  /** The apps running (or being debugged) in this boot, with their installed records; a new process, a new pid. */
  runningApps(): { record: InstalledComponentRecord; debugging: boolean; pid: number }[] {
    return [...this.runs].flatMap(([cid, run]) => {
      const record = this.find(cid);
      return record ? [{ record, debugging: run.debugging, pid: run.pid }] : [];
    });
  }

  get hasAppDevelopment(): boolean {
    return this.store.view.capabilities.includes(APP_DEVELOPMENT_CAPABILITY);
  }

  /** Before the board first serves: removes uploads a killed simulator left half-written. */
  async sweepLeftovers(): Promise<void> {
    await sweepStaging(this.store.stateDir, this.store.view.stagedImage?.fileName);
  }

  /** Power-on: the apps that were running start again, each as a new process. */
  boot(): void {
    this.runs.clear();
    this.nextPid = FIRST_APP_PID;
    this.peakUserModeBytes = 0;
    for (const record of this.store.view.apps) {
      if (isApplication(record) && record.runState === 'running') this.beginRun(record.componentId, false);
    }
    this.onRunsChanged();
  }

  /**
   * Power-off: every process ends. What the apps wrote to mutable storage stays, so this run's growth is kept (queued
   * on the store; a failed write loses only that growth).
   */
  powerOff(): void {
    const grown = this.foldedStorage([...this.runs.keys()]);
    this.runs.clear();
    this.onRunsChanged();
    if (grown.size > 0) {
      this.store.update((draft) => this.applyStorage(draft, grown)).catch((error: unknown) => {
        console.error(`[board-sim] keeping app storage at power-off failed: ${(error as Error).message}`);
      });
    }
  }

  status(componentId: string): AppState {
    const record = this.find(componentId);
    if (!record) return 'notPresent';
    if (record.componentId === GDBSERVER_COMPONENT_ID) {
      // gdbserver runs while it debugs an app; nobody starts it directly.
      return [...this.runs.values()].some((run) => run.debugging) ? 'running' : 'stopped';
    }
    if (!isApplication(record)) return 'notPresent';
    const run = this.runs.get(record.componentId);
    return run ? (run.debugging ? 'debugging' : 'running') : 'stopped';
  }

  async trigger(componentId: string, trigger: AppTrigger): Promise<Record<string, unknown>> {
    const record = this.find(componentId);
    if (record?.componentId === GDBSERVER_COMPONENT_ID) {
      const code = { start: DeviceErrorCode.cantStartDebugger, stop: DeviceErrorCode.cantStopDebugger, startDebug: DeviceErrorCode.cantDebugDebugger }[trigger];
      throw badRequest(code, `gdbserver cannot be sent "${trigger}"`);
    }
    if (!record || !isApplication(record)) {
      throw conflict(DeviceErrorCode.appNotPresent, `No application ${componentId}`);
    }
    const cid = record.componentId;
    if (trigger === 'startDebug') {
      if (!this.hasAppDevelopment) {
        throw new DeviceRestError(403, DeviceErrorCode.deviceNotDevUnlocked, 'Debugging needs the appDevelopment capability');
      }
      if (!this.find(GDBSERVER_COMPONENT_ID)) {
        throw conflict(DeviceErrorCode.noDebuggerAvailable, 'gdbserver is not installed');
      }
    }
    const current = this.runs.get(cid);
    if (trigger === 'start' && current && !current.debugging) {
      return { state: 'running' };
    }
    // Stopping, or starting afresh (a debug session restarts the app under gdbserver): this run's storage is kept.
    const grown = this.foldedStorage(current ? [cid] : []);
    const runState = trigger === 'stop' ? 'stopped' : 'running';
    await this.store.update((draft) => {
      this.applyStorage(draft, grown);
      const stored = draft.apps.find((a) => a.componentId === cid);
      if (stored) stored.runState = runState;
    });
    this.runs.delete(cid);
    if (trigger === 'stop') {
      this.onRunsChanged();
      return { state: 'stopped' };
    }
    this.beginRun(cid, trigger === 'startDebug');
    this.onRunsChanged();
    return trigger === 'startDebug' ? { state: 'debugging', gdbPort: GDB_PORT, outPort: OUTPUT_PORT } : { state: 'running' };
  }

  quota(componentId: string): { UsageKB: number; LimitKB: number } {
    const record = this.find(componentId);
    if (!record || !isApplication(record)) throw notFound(DeviceErrorCode.appNotPresent, `No application ${componentId}`);
    return { UsageKB: this.storageNow(record), LimitKB: record.storageLimitKB };
  }

  memoryStats(): MemoryStats {
    if (!this.hasAppDevelopment) {
      throw new DeviceRestError(403, DeviceErrorCode.deviceNotDevUnlocked, 'Memory statistics need the appDevelopment capability');
    }
    const now = this.uptimeSeconds();
    let current = 0;
    let userMode = 0;
    const apps: MemoryStats['apps'] = [];
    for (const [componentId, run] of this.runs) {
      const record = this.find(componentId);
      if (!record) continue;
      const memory = appProcessMemory(record.lengthInBytes, now - run.startedAt);
      current += memory.totalBytes;
      userMode += memory.userModeBytes;
      apps.push({ componentId, processes: [{ pid: run.pid, heapUsageByCaller: memory.heapUsageByCaller }] });
    }
    this.peakUserModeBytes = Math.max(this.peakUserModeBytes, userMode);
    return {
      memoryStats: { currentMemoryUsageInBytes: current, userModeMemoryUsageInBytes: userMode, peakUserModeMemoryUsageInBytes: this.peakUserModeBytes },
      apps,
    };
  }

  /** Installed components in the shape of `GET /images`. */
  imagesComponents(): ImagesComponent[] {
    const staged = this.store.view.stagedImage?.package;
    return this.store.view.apps.map((record) => ({
      uid: record.componentId,
      image_type: record.imageType,
      is_update_staged: staged?.componentId === record.componentId,
      does_image_type_require_restart: false,
      name: record.name,
      images: [{ uid: record.imageId, length_in_bytes: record.lengthInBytes, uncompressed_length_in_bytes: record.lengthInBytes, replica_type: 0 }],
    }));
  }

  /**
   * `DELETE /app/image/{cid}`: stops and removes the component; nothing to do for one that is not there. With
   * `onlyFromCloud` (a deployment no longer targets it) a component that is not cloud-installed stays — decided when
   * the change is written, so a sideload that just replaced it is kept. Resolves to whether it was removed.
   */
  async remove(componentId: string, opts: { onlyFromCloud?: boolean } = {}): Promise<boolean> {
    const cid = componentId.toLowerCase();
    if (!this.find(cid)) return false;
    const removed = await this.store.update((draft) => {
      const kept = draft.apps.filter((a) => a.componentId !== cid || (opts.onlyFromCloud === true && a.origin !== 'cloud'));
      const gone = kept.length < draft.apps.length;
      draft.apps = kept;
      return gone;
    });
    if (!removed) return false;
    this.runs.delete(cid);
    this.onRunsChanged();
    return true;
  }

  /**
   * `POST /update/install`: installs what is staged. An application or board configuration replaces any component of
   * its ID and (applications, `Auto`) starts; a capability file replaces the board's capabilities — the caller then
   * restarts the board. Returns whether the board restarts. With nothing staged it does nothing, as real boards do.
   */
  async installStaged(mode: AppControlMode, deviceId: string): Promise<{ restartingSystem: boolean }> {
    const staged = this.store.view.stagedImage;
    if (!staged) return { restartingSystem: false };
    const summary = staged.package;
    if (summary.kind === 'capabilities') {
      if (summary.deviceId !== deviceId.toLowerCase()) {
        throw badRequest(DeviceErrorCode.invalidImage, 'The capability file was issued for another device');
      }
      await this.store.update((draft) => {
        draft.stagedImage = null;
        draft.capabilities = [...new Set(summary.capabilities)].sort((a, b) => a - b);
        draft.apps = draft.apps.filter((a) => a.componentId !== GDBSERVER_COMPONENT_ID);
        if (draft.capabilities.includes(APP_DEVELOPMENT_CAPABILITY)) draft.apps.push(gdbserverRecord());
      });
      await removeStagedFile(this.store.stateDir, staged.fileName);
      return { restartingSystem: true };
    }
    await this.installComponent(summary, staged, mode, 'sideload');
    return { restartingSystem: false };
  }

  /**
   * Installs an image the board's update check downloaded from its deployment (updates/): the same install as a
   * sideload — the component replaced, its storage kept, an application started (cloud-deployed apps run, as
   * `appControlMode: Auto`) — but recorded as from the cloud, and without touching what a sideload has staged.
   * `file` is the package in the staging folder; it is removed once installed.
   */
  async installFromCloud(summary: ComponentSummary, file: { fileName: string; bytes: number }): Promise<void> {
    await this.installComponent(summary, file, 'Auto', 'cloud');
  }

  private async installComponent(summary: ComponentSummary, file: { fileName: string; bytes: number }, mode: AppControlMode, origin: 'sideload' | 'cloud'): Promise<void> {
    if (summary.developmentImage && !this.hasAppDevelopment) {
      throw badRequest(DeviceErrorCode.imageVerificationFailed, 'A development image needs the appDevelopment capability');
    }
    const cid = summary.componentId;
    const previous = this.find(cid);
    const grown = this.foldedStorage(this.runs.has(cid) ? [cid] : []);
    const application = summary.imageType === APPLICATION_IMAGE_TYPE && cid !== GDBSERVER_COMPONENT_ID;
    const runs = application && mode === 'Auto';
    const record: InstalledComponentRecord = {
      componentId: cid,
      imageId: summary.imageId,
      imageType: summary.imageType,
      name: summary.name,
      lengthInBytes: file.bytes,
      storageLimitKB: summary.storageLimitKB,
      // Mutable storage belongs to the component, so a new version of the app finds what the old one wrote.
      storageUsedKB: Math.min(summary.storageLimitKB, grown.get(cid) ?? previous?.storageUsedKB ?? 0),
      runState: runs ? 'running' : 'stopped',
      ...(summary.cmdArgs && { cmdArgs: summary.cmdArgs }),
      ...(summary.deviceAuthentication !== undefined && { deviceAuthentication: summary.deviceAuthentication }),
      ...(origin === 'cloud' && { origin: 'cloud' as const }),
    };
    await this.store.update((draft) => {
      if (origin === 'sideload') draft.stagedImage = null;
      const at = draft.apps.findIndex((a) => a.componentId === cid);
      if (at >= 0) draft.apps[at] = record;
      else draft.apps.push(record);
    });
    await removeStagedFile(this.store.stateDir, file.fileName);
    this.runs.delete(cid);
    if (runs) this.beginRun(cid, false);
    this.onRunsChanged();
  }

  private find(componentId: string): InstalledComponentRecord | undefined {
    const cid = componentId.toLowerCase();
    return this.store.view.apps.find((a) => a.componentId === cid);
  }

  private beginRun(componentId: string, debugging: boolean): void {
    this.runs.set(componentId, { startedAt: this.uptimeSeconds(), pid: this.nextPid++, debugging });
  }

  private storageNow(record: InstalledComponentRecord): number {
    const run = this.runs.get(record.componentId);
    return storageUsageKB(record.storageLimitKB, record.storageUsedKB, run ? this.uptimeSeconds() - run.startedAt : 0);
  }

  /** Storage in use now for each of these running apps, to keep when their run ends. */
  private foldedStorage(componentIds: string[]): Map<string, number> {
    const grown = new Map<string, number>();
    for (const cid of componentIds) {
      const record = this.find(cid);
      if (record) grown.set(cid, this.storageNow(record));
    }
    return grown;
  }

  private applyStorage(draft: PersistedBoardState, grown: Map<string, number>): void {
    for (const app of draft.apps) {
      const used = grown.get(app.componentId);
      if (used !== undefined) app.storageUsedKB = used;
    }
  }
}
