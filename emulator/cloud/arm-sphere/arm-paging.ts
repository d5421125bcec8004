// Paging of the Microsoft.AzureSphere lists: every list answers `{value, nextLink?}` (x-ms-pageable, nextLinkName
// nextLink). `$maxpagesize`, `$skip` and `$top` are read only where the spec declares them (queryable lists); the
// others page by the emulator's default size. `nextLink` is absolute: the request URL with `$skipToken`, an opaque
// position that names its list, so one list's token is refused by another.
import { badRequest } from './arm-errors';
import type { EmuRequest } from '../http';

export const DEFAULT_ARM_PAGE_SIZE = 100;
export const MAX_ARM_PAGE_SIZE = 1000;

function intParam(req: EmuRequest, name: string, min: number, max: number): number | undefined {
  const raw = req.url.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw badRequest(`The query parameter ${name} must be an integer from ${min} to ${max}, not '${raw.slice(0, 40)}'.`, name, 'InvalidQueryParameterValue');
  return n;
}

/** One page of `items`; `queryable` when the operation declares $top/$skip/$maxpagesize. */
export function armPage<T>(req: EmuRequest, baseUrl: string, items: readonly T[], listKey: string, queryable: boolean): { value: T[]; nextLink?: string } {
  const size = (queryable ? intParam(req, '$maxpagesize', 1, MAX_ARM_PAGE_SIZE) : undefined) ?? DEFAULT_ARM_PAGE_SIZE;
  const skip = (queryable ? intParam(req, '$skip', 0, Number.MAX_SAFE_INTEGER) : undefined) ?? 0;
  const top = queryable ? intParam(req, '$top', 0, Number.MAX_SAFE_INTEGER) : undefined;
  const limit = Math.min(items.length, top === undefined ? Number.MAX_SAFE_INTEGER : skip + top);
  let from = skip;
  const token = req.url.searchParams.get('$skipToken');
  if (token !== null) {
    let decoded: { l?: unknown; p?: unknown } = {};
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof decoded;
    } catch {
      /* reported below */
    }
    if (decoded.l !== listKey || typeof decoded.p !== 'number' || !Number.isInteger(decoded.p) || decoded.p < 0) throw badRequest('The $skipToken is not valid for this list.', '$skipToken', 'InvalidSkipToken');
    from = decoded.p;
  }
  from = Math.min(from, limit);
  const end = Math.min(from + size, limit);
  const page: { value: T[]; nextLink?: string } = { value: items.slice(from, end) };
  if (end < limit) {
    const next = new URL(req.url.pathname + req.url.search, baseUrl);
    next.searchParams.set('$skipToken', Buffer.from(JSON.stringify({ l: listKey, p: end })).toString('base64url'));
    page.nextLink = next.toString();
  }
  return page;
}
