// Paging of the fleet lists as the public API pages (learn.microsoft.com/rest/api/azure-sphere/devices/list-in-group):
// `?maxPageSize=` (1–1000, default 1000) and the previous page's `ContinuationToken` sent back in the
// `Sphere-Continuation` header. A token names its list and a position in it, so one list's token is refused by
// another, and positions are chosen so that additions elsewhere never skip or repeat an item.
import type { EmuRequest } from './http';

export const MAX_PAGE_SIZE = 1000;

export interface PageRequest {
  pageSize: number;
  /** The position the previous page stopped at; undefined on the first page. */
  position: number | undefined;
}

/** Reads `maxPageSize` and `Sphere-Continuation` for the list `listKey`; `fail` throws the service's 400. */
export function readPageRequest(req: EmuRequest, listKey: string, fail: (message: string) => never): PageRequest {
  const sizeParam = req.url.searchParams.get('maxPageSize');
  let pageSize = MAX_PAGE_SIZE;
  if (sizeParam !== null) {
    pageSize = Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) fail(`maxPageSize must be an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const header = req.headers['sphere-continuation'];
  if (typeof header !== 'string' || header.length === 0) return { pageSize, position: undefined };
  let decoded: { l?: unknown; p?: unknown } = {};
  try {
    decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof decoded;
  } catch {
    /* reported below */
  }
  if (decoded.l !== listKey || typeof decoded.p !== 'number' || !Number.isInteger(decoded.p) || decoded.p < 0) {
    fail('The Sphere-Continuation token is not valid for this list.');
  }
  return { pageSize, position: decoded.p };
}

export function continuationToken(listKey: string, position: number): string {
  return Buffer.from(JSON.stringify({ l: listKey, p: position })).toString('base64url');
}

/**
 * One page of `items` (a list that only grows at its end, or changes rarely): the position is an index. Returns the
 * page and the token for the next one (null on the last page).
 */
export function pageOfList<T>(items: readonly T[], listKey: string, page: PageRequest): { items: T[]; next: string | null } {
  const from = Math.min(page.position ?? 0, items.length);
  const end = Math.min(from + page.pageSize, items.length);
  return { items: items.slice(from, end), next: end < items.length ? continuationToken(listKey, end) : null };
}

/**
 * One page of the entries of `order` that pass `keep` (devices of one group, in claim order): the position is an index
 * into `order`, which only grows at its end, so a device moving in or out between pages never shifts the others.
 */
export function pageOfFiltered<T>(order: readonly T[], keep: (item: T) => boolean, listKey: string, page: PageRequest): { items: T[]; next: string | null } {
  const items: T[] = [];
  let i = Math.min(page.position ?? 0, order.length);
  for (; i < order.length && items.length < page.pageSize; i++) if (keep(order[i]!)) items.push(order[i]!);
  // Look ahead to the next match, so the last page says it is the last instead of sending an empty one after it.
  let nextMatch = i;
  while (nextMatch < order.length && !keep(order[nextMatch]!)) nextMatch++;
  return { items, next: nextMatch < order.length ? continuationToken(listKey, nextMatch) : null };
}
