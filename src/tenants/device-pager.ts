// A list of devices a page at a time — a tenant's claimed devices, a device group's devices: a tree shows the first
// page at once and more on "Load more", so a tenant with 10,000 devices costs one request to show, not a hundred.
import type { PageResult } from '../cloud/paging';
import type { ListOptions, SphereApiClient } from '../cloud/sphere-api-client';
import type { Device } from '../cloud/sphere-api-types';

/** Devices per request; the service's own page size is larger, but a tree shows a screenful at a time. */
export const DEVICE_PAGE_SIZE = 100;

export type DevicePageSource = (options: ListOptions) => AsyncGenerator<PageResult<Device>, void, undefined>;

/** The pages of a tenant's claimed devices. */
export const claimedDevicePages = (api: SphereApiClient, tenantId: string): DevicePageSource => (options) => api.listDevicePages(tenantId, options);

export class DevicePager {
  private readonly loaded: Device[] = [];
  private pages: AsyncGenerator<PageResult<Device>, void, undefined> | undefined;
  private done = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly source: DevicePageSource,
    private readonly pageSize = DEVICE_PAGE_SIZE,
  ) {}

  get devices(): readonly Device[] {
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

  /** Loads the next page (concurrent calls share one request). */
  loadMore(): Promise<void> {
    this.pending ??= this.fetchNext().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchNext(): Promise<void> {
    if (this.done) return;
    this.pages ??= this.source({ maxPageSize: this.pageSize });
    const next = await this.pages.next();
    if (next.done) {
      this.done = true;
      return;
    }
    this.loaded.push(...next.value.items);
    if (!next.value.continuationToken) this.done = true;
  }
}
