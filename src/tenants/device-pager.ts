// A list of devices a page at a time — a tenant's claimed devices, a device group's devices: a tree shows the first
// page at once and more on "Load more", so a tenant with 10,000 devices costs one request to show, not a hundred.
import type { PageResult } from '../cloud/paging';
import type { ListOptions, SphereApiClient } from '../cloud/sphere-api-client';
import type { Device } from '../cloud/sphere-api-types';

/** Devices per request; the service's own page size is larger, but a tree shows a screenful at a time. */
export const DEVICE_PAGE_SIZE = 100;

export type DevicePageSource<D = Device> = (options: ListOptions) => AsyncIterable<PageResult<D>>;

/** What a tree row of a device needs; the rest of a Device is not kept (a list of 10,000 keeps 10,000 of these). */
export type ListedDevice = Pick<Device, 'DeviceId' | 'ProductId' | 'DeviceGroupId' | 'LastInstalledOSVersion' | 'LastUpdateRequestUTC'>;

export function listedDevice(d: Device): ListedDevice {
  return { DeviceId: d.DeviceId, ProductId: d.ProductId, DeviceGroupId: d.DeviceGroupId, LastInstalledOSVersion: d.LastInstalledOSVersion, LastUpdateRequestUTC: d.LastUpdateRequestUTC };
}

/** The pages of a tenant's claimed devices. */
export const claimedDevicePages = (api: SphereApiClient, tenantId: string): DevicePageSource => (options) => api.listDevicePages(tenantId, options);

/** Pages of `D` (a wire Device, or the fleet model's device), kept as ListedDevice rows. */
export class DevicePager<D = Device> {
  private readonly loaded: ListedDevice[] = [];
  private pages: AsyncIterator<PageResult<D>, void, undefined> | undefined;
  private done = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly source: DevicePageSource<D>,
    private readonly pageSize = DEVICE_PAGE_SIZE,
    // The wire Device's mapping unless the pages hold something else.
    private readonly listed: (d: D) => ListedDevice = listedDevice as unknown as (d: D) => ListedDevice,
  ) {}

  get devices(): readonly ListedDevice[] {
    return this.loaded;
  }

  /** False once the service said there are no more pages. */
  get hasMore(): boolean {
    return !this.done;
  }

  /** Loads the first page if nothing was loaded yet. */
  async ensureFirstPage(): Promise<void> {
    if (this.loaded.length === 0 && !this.done) await this.loadMore();
  }

  /**
   * Loads `pages` more pages of `pageSize` devices, fewer if the list ends (concurrent calls share one load). The
   * service may hand out smaller pages than asked (ARM's device lists hold 100): they are read until the page is full.
   */
  loadMore(pages = 1): Promise<void> {
    this.pending ??= (async () => {
      const target = this.loaded.length + pages * this.pageSize;
      while (this.loaded.length < target && !this.done) await this.fetchNext();
    })().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchNext(): Promise<void> {
    if (this.done) return;
    this.pages ??= this.source({ maxPageSize: this.pageSize })[Symbol.asyncIterator]();
    const next = await this.pages.next();
    if (next.done) {
      this.done = true;
      return;
    }
    for (const d of next.value.items) this.loaded.push(this.listed(d));
    if (!next.value.continuationToken) this.done = true;
  }
}
