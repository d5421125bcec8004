// The VS Code side's view of attached boards: builds the DeviceService from the settings (rebuilt when they change),
// starts it only when something needs a board (a device view became visible, a command ran), reads each board's facts
// once it attaches, and keeps the selected board (the one the Wi-Fi view and status bar follow).
import * as vscode from 'vscode';
import { DeviceService, isDeviceError, type BoardDescriptor, type DeviceRestClient, type DeviceServiceOptions, type PinStore } from '../device';
import { Disposable, toDisposable } from '../common/lifecycle';
import { AttachedBoard } from './attached-board';
import { DEVICE_SETTINGS_SECTION, deviceServiceOptions, readDeviceSettings } from './device-settings';

export const BOARD_ATTACHED_CONTEXT = 'sphereExplorer.boardAttached';
export const BOARD_SELECTED_CONTEXT = 'sphereExplorer.boardSelected';
/** True once discovery runs: until then the palette offers device commands (running one starts discovery). */
export const DEVICES_WATCHING_CONTEXT = 'sphereExplorer.devicesWatching';

export type BoardContentPart = 'interfaces' | 'certificates' | 'apps';

export interface BoardContentChange {
  readonly board: AttachedBoard;
  readonly part: BoardContentPart;
}

export interface DeviceModelOptions {
  pinStore: PinStore;
  log: vscode.LogOutputChannel;
  /** Simulator registry to watch instead of SPHERE_SIM_REGISTRY / the default (tests). */
  registryDir?: string;
  /** Connection timeouts and attempts (tests shorten them). */
  connection?: DeviceServiceOptions['connection'];
}

export class DeviceModel extends Disposable {
  private readonly _onDidChangeBoards = this._register(new vscode.EventEmitter<void>());
  /** A board attached or detached. */
  readonly onDidChangeBoards = this._onDidChangeBoards.event;
  private readonly _onDidChangeBoard = this._register(new vscode.EventEmitter<AttachedBoard>());
  /** A board's facts were read (or failed to be). */
  readonly onDidChangeBoard = this._onDidChangeBoard.event;
  private readonly _onDidChangeSelection = this._register(new vscode.EventEmitter<AttachedBoard | undefined>());
  readonly onDidChangeSelection = this._onDidChangeSelection.event;
  private readonly _onDidChangeBoardContent = this._register(new vscode.EventEmitter<BoardContentChange>());
  /** Something on a board changed through us (an interface brought up, a certificate added…): views refresh that part. */
  readonly onDidChangeBoardContent = this._onDidChangeBoardContent.event;

  private service: DeviceService | undefined;
  private starting: Promise<void> | undefined;
  private readonly attached = new Map<string, AttachedBoard>();
  private selectedKey: string | undefined;
  private rebuilding: Promise<void> = Promise.resolve();

  constructor(private readonly options: DeviceModelOptions) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(DEVICE_SETTINGS_SECTION) && this.starting) void this.rebuild();
      }),
    );
    this._register(toDisposable(() => void this.stopService()));
  }

  get isStarted(): boolean {
    return this.starting !== undefined;
  }

  /** Starts discovery (once); resolves after the first scan, so `boards` is meaningful afterwards. */
  start(): Promise<void> {
    if (this.isDisposed) return Promise.resolve();
    this.starting ??= this.build().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  get boards(): AttachedBoard[] {
    return [...this.attached.values()];
  }

  board(key: string): AttachedBoard | undefined {
    return this.attached.get(key);
  }

  get selected(): AttachedBoard | undefined {
    return this.selectedKey === undefined ? undefined : this.attached.get(this.selectedKey);
  }

  select(key: string | undefined): void {
    const next = key !== undefined && this.attached.has(key) ? key : undefined;
    if (next === this.selectedKey) return;
    this.selectedKey = next;
    this.updateContext();
    this._onDidChangeSelection.fire(this.selected);
  }

  /** The board's REST client (its connection opens on the first request). */
  async client(key: string): Promise<DeviceRestClient> {
    await this.start();
    if (!this.service || !this.attached.has(key)) throw new Error(`The board ${key} is no longer attached.`);
    return this.service.client(key);
  }

  /** Commands call this after changing a board, so the views re-read just that part. */
  contentChanged(board: AttachedBoard, part: BoardContentPart): void {
    if (this.attached.get(board.key) === board) this._onDidChangeBoardContent.fire({ board, part });
  }

  /** Closes our serial link to a board (the next request reopens it), so the connection doctor can open its port. */
  async releaseLink(key: string): Promise<void> {
    await this.service?.serialRoute(key)?.release();
  }

  /** Marks a board as being recovered (its node shows the step and percentage), or no longer (undefined). */
  setRecovery(key: string, recovery: AttachedBoard['recovery']): void {
    const board = this.attached.get(key);
    if (!board) return;
    board.recovery = recovery;
    this._onDidChangeBoard.fire(board);
  }

  /** Scans now instead of waiting for the next poll. */
  async rescan(): Promise<void> {
    await this.start();
    await this.service?.refresh();
  }

  /** Reads device ID, OS version and security state again (after a restart, or when the first read failed). */
  async reloadFacts(key: string): Promise<void> {
    const board = this.attached.get(key);
    if (!board) return;
    try {
      const client = await this.client(key);
      const security = await client.getSecurityState();
      const osVersion = await client.getOsVersion().catch((err: unknown) => {
        if (isDeviceError(err, 'UNSUPPORTED')) return undefined;
        throw err;
      });
      const capabilities = await client.getCapabilities().catch(() => undefined);
      board.facts = { deviceId: security.deviceIdentifier, osVersion, securityState: security.securityState, restApiVersion: client.restApiVersion, capabilities };
      board.factsError = undefined;
    } catch (err) {
      board.factsError = err instanceof Error ? err.message : String(err);
      this.options.log.warn(`Reading the facts of ${board.label} failed: ${board.factsError}`);
    }
    if (this.attached.get(key) === board) this._onDidChangeBoard.fire(board);
  }

  private async build(): Promise<void> {
    const settings = readDeviceSettings();
    const options = deviceServiceOptions(settings, this.options.pinStore, this.options.log, this.options.registryDir);
    if (this.options.connection) options.connection = this.options.connection;
    const service = new DeviceService(options);
    this.service = service;
    void vscode.commands.executeCommand('setContext', DEVICES_WATCHING_CONTEXT, true);
    service.onDidAttach((b) => this.service === service && this.attach(b));
    service.onDidDetach((b) => this.service === service && this.detach(b));
    this.options.log.info(`Looking for boards (route: ${settings.route}, ${settings.baudRate} baud${settings.serialPorts.length ? `, ports ${settings.serialPorts.join(', ')}` : ''}).`);
    await service.start();
  }

  /** Rebuilds one after the other, so an old service has closed its ports before the next one opens them. */
  private rebuild(): Promise<void> {
    this.rebuilding = this.rebuilding.then(async () => {
      this.options.log.info('Device settings changed; reconnecting to boards.');
      await this.stopService();
      await this.start().catch((err: unknown) => this.options.log.error(`Looking for boards failed: ${err instanceof Error ? err.message : String(err)}`));
    });
    return this.rebuilding;
  }

  private async stopService(): Promise<void> {
    const service = this.service;
    this.service = undefined;
    this.starting = undefined;
    for (const board of [...this.attached.values()]) this.detach(board.descriptor);
    await service?.dispose();
  }

  private attach(descriptor: BoardDescriptor): void {
    if (this.isDisposed) return;
    this.attached.set(descriptor.key, new AttachedBoard(descriptor));
    if (this.selected === undefined) this.selectedKey = descriptor.key;
    this.updateContext();
    this._onDidChangeBoards.fire();
    if (this.selectedKey === descriptor.key) this._onDidChangeSelection.fire(this.selected);
    void this.reloadFacts(descriptor.key);
  }

  private detach(descriptor: BoardDescriptor): void {
    if (!this.attached.delete(descriptor.key)) return;
    const wasSelected = this.selectedKey === descriptor.key;
    if (wasSelected) this.selectedKey = this.attached.keys().next().value;
    this.updateContext();
    if (this.isDisposed) return;
    this._onDidChangeBoards.fire();
    if (wasSelected) this._onDidChangeSelection.fire(this.selected);
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', BOARD_ATTACHED_CONTEXT, this.attached.size > 0);
    void vscode.commands.executeCommand('setContext', BOARD_SELECTED_CONTEXT, this.selected !== undefined);
  }
}
