// Continuation-token paging as an async iterator of pages, plus a helper that gathers every item.
// Generic over how one page is fetched, so the security service client and tests share it.
import { throwIfAborted } from './abort';
import { CloudApiError } from './api-error';

export interface PageResult<T> {
  readonly items: readonly T[];
  /** Undefined on the last page. */
  readonly continuationToken: string | undefined;
}

export type FetchPage<T> = (continuationToken: string | undefined, signal?: AbortSignal) => Promise<PageResult<T>>;

/**
 * Yields pages until the service returns no continuation token. A token that repeats the previous one would loop
 * forever, so it is reported as a service error instead.
 */
export async function* iteratePages<T>(fetchPage: FetchPage<T>, what: string, signal?: AbortSignal): AsyncGenerator<PageResult<T>, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchPage(token, signal);
    yield page;
    if (!page.continuationToken) return;
    if (seen.has(page.continuationToken)) {
      throw new CloudApiError(`${what} failed: the service returned a continuation token it had already returned, so the list would never end.`, 'paging_loop', 0, undefined, undefined);
    }
    seen.add(page.continuationToken);
    token = page.continuationToken;
  }
}

/** Every item of every page, in order. */
export async function collectAll<T>(pages: AsyncIterable<PageResult<T>>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page.items);
  return all;
}
