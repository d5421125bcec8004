// The etag an If-Match header names (RFC 9110 §13.1.1), as Azure's services read it: quotes and a weak prefix taken off.
// `W/` counts only before a quote — the emulators' etags are base64, and one that itself begins with "W/" (1 in 4,096)
// must still match.
export function etagOfIfMatch(header: string): string {
  return header.trim().replace(/^W\/(?=")/, '').replace(/^"(.*)"$/, '$1');
}
