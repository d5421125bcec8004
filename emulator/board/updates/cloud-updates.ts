// The board's update loop: while it is online with a synced clock (what the daily attestation needs too, and for the
// same reason — the service checks the board's signed time), it asks the cloud what its device group's deployment
// targets (update-check-request.ts), downloads and verifies what it lacks (image-download.ts), and installs it the way
// a sideload is installed (apps/app-runtime.ts), following the rules in deployment-plan.ts.
//
// When: at once when the board gets online — after power-on, a restart, a new Wi-Fi connection — and then every
// `checkMs`. A real board checks "when they first connect to the internet after powering on … Thereafter, checks occur
// at regular intervals (currently 20 hours)" (learn.microsoft.com/azure-sphere/deployment/device-updates); the
// simulator's default is one minute, so that a deployment made in the editor reaches it while someone watches.
//
// A failed check or download is retried after a delay that starts at `checkMs` and doubles up to `retryMaxMs` (longer
// if the cloud said Retry-After); a board that is not claimed is told so by the cloud and quietly asks again later,
// like the attestation. The downloads of one check all complete before anything is installed or removed, so a
// failure leaves the board as it was. Going offline ends what is in flight; nothing is half-installed.
import type * as crypto from 'node:crypto';
import { APPLICATION_IMAGE_TYPE, type AppRuntime } from '../apps/app-runtime';
import { removeStagedFile } from '../apps/image-staging';
import type { BoardStateStore } from '../board-state';
import type { WifiStation } from '../wifi-station';
import { planDeployment, type DeploymentPlan, type DeploymentUpdates } from './deployment-plan';
import { downloadImage, DownloadFailure, type DownloadedImage } from './image-download';
import { requestUpdateCheck, type TargetedImage, type UpdateCheckAnswer, type UpdateCheckOutcome } from './update-check-request';

export type UpdateState = 'idle' | 'checking' | 'downloading' | 'installing' | 'upToDate' | 'failed';

export interface UpdateTiming {
  /** Between two update checks while online (and the first delay after a failed one). */
  checkMs: number;
  /** The longest delay between attempts while they fail. */
  retryMaxMs: number;
}

export const DEFAULT_UPDATE_TIMING: UpdateTiming = { checkMs: 60_000, retryMaxMs: 10 * 60_000 };

/** What the board knows of its updates (`SimulatedBoard.updates`). */
export interface BoardUpdateStatus {
  /**
   * `idle`: not checked since it got online (or not claimed: see lastError); `checking`, `downloading`, `installing`:
   * a check in progress; `upToDate`: the last check's answer is applied (as far as deploymentUpdates allows);
   * `failed`: the last check, a download or an install failed (lastError), and it will be tried again.
   */
  state: UpdateState;
  /** When the cloud recorded the last answered check (its LastUpdateRequestUTC for the device), ISO 8601. */
  lastCheck: string | undefined;
  /** From the last answered check: the device group (null: none), its current deployment and UpdatePolicy. */
  deviceGroupId: string | null | undefined;
  deploymentId: string | null | undefined;
  updatePolicy: number | null | undefined;
  /** Which deployment images the board takes now, and so whether `targeted` is what it runs (deployment-plan.ts). */
  deploymentUpdates: DeploymentUpdates | undefined;
  /** What the last answered check listed. */
  targeted: TargetedImage[];
  /** Installed components that came from the cloud (kept in the board state). */
  installedFromCloud: { componentId: string; imageId: string; name: string; imageType: number }[];
  /** Why the last attempt failed, or why the board is idle (not claimed). Never a signature or key. */
  lastError: string | undefined;
  /** Checks the cloud answered, and images downloaded and verified, since the simulator started. */
  checks: number;
  downloads: number;
}

export interface CloudUpdatesDeps {
  deviceId: string;
  deviceKey: crypto.KeyObject;
  station: WifiStation;
  /** The cloud to ask; without one the board never checks. */
  cloud: { url: string; caPem: string | undefined } | undefined;
  timing: UpdateTiming;
  apps: AppRuntime;
  store: BoardStateStore;
  log(line: string): void;
}

export class CloudUpdates {
  private timer: NodeJS.Timeout | undefined;
  /** Passes run one after another; a pass asked for while one runs waits for it. */
  private queue: Promise<void> = Promise.resolve();
  private inFlight: AbortController | undefined;
  private wasOnline = false;
  private stopped = false;
  private failures = 0;
  private lastProblem: string | undefined;
  /** The last answer's summary as logged, so a steady deployment is not logged every minute. */
  private lastLoggedAnswer: string | undefined;
  /** Images this process found it does not take (development-signed, malformed), with why: not downloaded again. */
  private readonly refused = new Map<string, string>();
  /** Targeted images of types the board does not install, already logged. */
  private readonly loggedIgnored = new Set<string>();
  private readonly current: Omit<BoardUpdateStatus, 'installedFromCloud'> = {
    state: 'idle',
    lastCheck: undefined,
    deviceGroupId: undefined,
    deploymentId: undefined,
    updatePolicy: undefined,
    deploymentUpdates: undefined,
    targeted: [],
    lastError: undefined,
    checks: 0,
    downloads: 0,
  };
  private readonly onNetworkChange = (): void => {
    const online = this.online;
    if (online && !this.wasOnline) {
      this.wasOnline = true;
      this.failures = 0;
      void this.checkNow();
    } else if (!online && this.wasOnline) {
      this.wasOnline = false;
      clearTimeout(this.timer);
      this.inFlight?.abort();
    }
  };

  constructor(private readonly deps: CloudUpdatesDeps) {}

  get status(): BoardUpdateStatus {
    const installedFromCloud = this.deps.store.view.apps
      .filter((c) => c.origin === 'cloud')
      .map(({ componentId, imageId, name, imageType }) => ({ componentId, imageId, name, imageType }));
    return { ...structuredClone(this.current), installedFromCloud };
  }

  start(): void {
    if (this.stopped) return;
    this.deps.station.on('change', this.onNetworkChange);
    this.deps.station.on('lease', this.onNetworkChange);
    this.onNetworkChange();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.deps.station.off('change', this.onNetworkChange);
    this.deps.station.off('lease', this.onNetworkChange);
    this.inFlight?.abort();
    await this.queue;
  }

  /**
   * Checks now, after any check in progress (so what a test changed just before counts), and resolves when that check
   * is done. Offline, without a cloud, or stopped it does nothing.
   */
  checkNow(): Promise<void> {
    clearTimeout(this.timer);
    const next = this.queue.then(() => this.pass());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get online(): boolean {
    const { station, cloud } = this.deps;
    return cloud !== undefined && station.connectedToInternet && station.timeSynced;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped || !this.online) return; // getting online again checks at once
    this.timer = setTimeout(() => void this.checkNow(), delayMs);
  }

  private async pass(): Promise<void> {
    const cloud = this.deps.cloud;
    if (this.stopped || !cloud || !this.online) return;
    const controller = new AbortController();
    this.inFlight = controller;
    let nextDelay: number;
    try {
      nextDelay = await this.checkAndApply(cloud, controller.signal);
    } catch (error) {
      // Not expected (every step reports its own failures), but the loop must go on.
      nextDelay = this.failed('failed', `the update check stopped: ${(error as Error).message}`);
    } finally {
      this.inFlight = undefined;
    }
    if (controller.signal.aborted) {
      this.current.state = 'idle';
      return;
    }
    this.schedule(nextDelay);
  }

  /** One check and what follows from it; resolves to the delay before the next check. */
  private async checkAndApply(cloud: { url: string; caPem: string | undefined }, signal: AbortSignal): Promise<number> {
    const { deps } = this;
    this.current.state = 'checking';
    const outcome: UpdateCheckOutcome = await requestUpdateCheck({
      cloudUrl: cloud.url,
      cloudCaPem: cloud.caPem,
      deviceId: deps.deviceId,
      deviceKey: deps.deviceKey,
      timestamp: deps.station.now().toISOString(),
      installedImages: deps.store.view.apps.map((c) => ({ imageId: c.imageId, componentId: c.componentId })),
      signal,
    });
    if (signal.aborted) return 0;
    if (!outcome.ok) return this.failed(outcome.kind, outcome.message, outcome.retryAfterMs);
    const { answer } = outcome;
    this.current.checks++;
    Object.assign(this.current, {
      lastCheck: answer.checkedAt,
      deviceGroupId: answer.deviceGroupId,
      deploymentId: answer.deploymentId,
      updatePolicy: answer.updatePolicy,
      targeted: answer.targetedImages,
    });
    const plan = planDeployment(answer, deps.store.view.apps, deps.apps.hasAppDevelopment);
    this.current.deploymentUpdates = plan.updates;
    this.logAnswer(answer, plan);

    const wanted = plan.install.filter((image) => !this.refused.has(image.imageId));
    let downloaded: DownloadedImage[];
    try {
      downloaded = await this.downloadAll(wanted, cloud, signal);
    } catch (error) {
      if (signal.aborted) return 0;
      const failure = error instanceof DownloadFailure ? error : new DownloadFailure((error as Error).message);
      if (failure.refused) return this.failed('refused image', failure.message, undefined, false);
      return this.failed('download', failure.message, failure.retryAfterMs);
    }
    // Offline meanwhile, or development mode turned on: the check no longer holds; the files are not kept, and a
    // board still online checks again at once.
    if (signal.aborted || (deps.apps.hasAppDevelopment && plan.updates !== 'developmentMode')) {
      await this.discard(downloaded);
      this.current.state = 'idle';
      return 0;
    }
    if (downloaded.length > 0 || plan.remove.length > 0) {
      this.current.state = 'installing';
      const failure = await this.apply(plan, downloaded, answer);
      if (failure) return this.failed('install', failure);
    }
    const stillRefused = plan.install.map((image) => this.refused.get(image.imageId)).find((why) => why !== undefined);
    if (stillRefused !== undefined) return this.failed('refused image', stillRefused, undefined, false);
    this.succeeded();
    return this.deps.timing.checkMs;
  }

  /** Downloads every image, or none: after a failure the files already fetched are removed and the error thrown. */
  private async downloadAll(images: TargetedImage[], cloud: { url: string; caPem: string | undefined }, signal: AbortSignal): Promise<DownloadedImage[]> {
    const done: DownloadedImage[] = [];
    if (images.length > 0) this.current.state = 'downloading';
    try {
      for (const image of images) {
        try {
          done.push(await downloadImage({
            cloudUrl: cloud.url,
            cloudCaPem: cloud.caPem,
            deviceId: this.deps.deviceId,
            deviceKey: this.deps.deviceKey,
            timestamp: this.deps.station.now().toISOString(),
            image,
            stateDir: this.deps.store.stateDir,
            signal,
          }));
        } catch (error) {
          if (error instanceof DownloadFailure && error.refused) this.refused.set(image.imageId, error.message);
          throw error;
        }
        this.current.downloads++;
        if (signal.aborted) throw new Error('the board went offline');
      }
    } catch (error) {
      await this.discard(done);
      throw error;
    }
    return done;
  }

  /** Removes what the deployment dropped, then installs what was downloaded; resolves to why it failed, if it did. */
  private async apply(plan: DeploymentPlan, downloaded: DownloadedImage[], answer: UpdateCheckAnswer): Promise<string | undefined> {
    const { apps, log } = this.deps;
    const from = answer.deploymentId === null ? 'the device group' : `deployment ${answer.deploymentId}`;
    for (const component of plan.remove) {
      if (await apps.remove(component.componentId, { onlyFromCloud: true })) {
        log(`update: removed '${component.name}' (component ${component.componentId}, image ${component.imageId}): ${from} no longer targets it`);
      }
    }
    for (const [i, item] of downloaded.entries()) {
      try {
        await apps.installFromCloud(item.summary, item);
      } catch (error) {
        await this.discard(downloaded.slice(i));
        return `installing image ${item.image.imageId} ('${item.image.name.slice(0, 60)}') failed: ${(error as Error).message}`;
      }
      const started = item.summary.imageType === APPLICATION_IMAGE_TYPE ? ', started' : '';
      log(`update: installed '${item.summary.name}' (component ${item.summary.componentId}, image ${item.summary.imageId}) from ${from}${started}`);
    }
    return undefined;
  }

  private async discard(downloaded: DownloadedImage[]): Promise<void> {
    await Promise.all(downloaded.map((d) => removeStagedFile(this.deps.store.stateDir, d.fileName)));
  }

  private succeeded(): void {
    this.failures = 0;
    this.lastProblem = undefined;
    this.current.lastError = undefined;
    this.current.state = 'upToDate';
  }

  /**
   * Records a failure, logs it once while it repeats, and resolves to the delay before the next attempt: doubling from
   * checkMs up to retryMaxMs (or what the cloud asked for), or checkMs for a failure retrying cannot mend soon.
   */
  private failed(kind: string, message: string, retryAfterMs?: number, backOff = true): number {
    const { timing, log } = this.deps;
    const notClaimed = kind === 'notClaimed';
    this.current.state = notClaimed ? 'idle' : 'failed';
    const problem = `${kind}: ${message}`;
    this.current.lastError = problem;
    let delay = timing.checkMs;
    if (backOff) {
      this.failures++;
      delay = Math.max(Math.min(timing.checkMs * 2 ** (this.failures - 1), timing.retryMaxMs), retryAfterMs ?? 0);
    }
    // One line per new problem, not one per retry.
    if (problem !== this.lastProblem) {
      log(notClaimed
        ? `update check: the device is not claimed (${message}); asking again in ${(delay / 1000).toFixed(1)} s, then less often`
        : `update check failed (${problem}); trying again in ${(delay / 1000).toFixed(1)} s${backOff ? ', then less often while it fails' : ''}`);
    }
    this.lastProblem = problem;
    return delay;
  }

  private logAnswer(answer: UpdateCheckAnswer, plan: DeploymentPlan): void {
    for (const { image, why } of plan.ignored) {
      if (!this.loggedIgnored.has(image.imageId)) {
        this.loggedIgnored.add(image.imageId);
        this.deps.log(`update check: not installing image ${image.imageId} ('${image.name.slice(0, 60)}'): ${why}`);
      }
    }
    const summary = JSON.stringify([answer.deviceGroupId, answer.deploymentId, answer.updatePolicy, plan.updates, answer.targetedImages.map((i) => i.imageId)]);
    if (summary === this.lastLoggedAnswer) return;
    this.lastLoggedAnswer = summary;
    const images = answer.targetedImages.length === 1 ? '1 image' : `${answer.targetedImages.length} images`;
    const where = answer.deviceGroupId === null
      ? 'in no device group'
      : `device group ${answer.deviceGroupId}, ${answer.deploymentId === null ? 'no deployment' : `deployment ${answer.deploymentId}`} (UpdatePolicy ${String(answer.updatePolicy)})`;
    const note: Record<DeploymentUpdates, string> = {
      allowed: '',
      groupPolicy: '; no application updates in this group (No3rdPartyAppUpdates)',
      developmentMode: '; development mode (appDevelopment capability): nothing is installed from deployments',
      noDeviceGroup: '',
    };
    this.deps.log(`update check: ${where}: ${images} targeted${note[plan.updates]}`);
  }
}
