// Paging of the hub's and the DPS's query endpoints: `x-ms-max-item-count` asks for a page size, the answer carries
// `x-ms-continuation` while more follow, and the client sends it back for the next page
// (learn.microsoft.com/rest/api/iothub/service/query/get-twins, the DPS service spec's Query operations).
// The token is the emulator's own: the offset, tied to the query text so it cannot be replayed on another query.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const MAX_PAGE_SIZE = 1000;

export type Page<T> = { ok: true; items: T[]; continuation: string | undefined; pageSize: number } | { ok: false; reason: string };

function queryTag(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 12);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function pageOf<T>(all: readonly T[], headers: IncomingHttpHeaders, query: string, defaultPageSize = 100): Page<T> {
  const sizeText = header(headers, 'x-ms-max-item-count');
  let pageSize = defaultPageSize;
  if (sizeText !== undefined) {
    pageSize = Number(sizeText);
    if (!/^\d+$/.test(sizeText.trim()) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return { ok: false, reason: `x-ms-max-item-count must be an integer from 1 to ${MAX_PAGE_SIZE}` };
  }
  let offset = 0;
  const token = header(headers, 'x-ms-continuation');
  if (token) {
    const match = /^([A-Za-z0-9_-]{12})\.(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!match || match[1] !== queryTag(query)) return { ok: false, reason: 'x-ms-continuation is not a continuation token of this query' };
    offset = Number(match[2]);
  }
  const items = all.slice(offset, offset + pageSize);
  const next = offset + items.length;
  const continuation = next < all.length ? Buffer.from(`${queryTag(query)}.${next}`).toString('base64url') : undefined;
  return { ok: true, items, continuation, pageSize };
}
