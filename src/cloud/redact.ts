// Scrubs secrets out of text before it can reach a log line or an error message.
// Error text from servers and from msal is not ours: it may echo a token, an auth code or a refresh token,
// so everything we pass on goes through here.

const REDACTED = '[redacted]';

const PATTERNS: readonly RegExp[] = [
  // JWTs (access and id tokens): three base64url segments, the first two starting with `{"` encoded.
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  // Authorization headers.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  // OAuth parameters and JSON fields that carry secrets.
  /\b(access_token|refresh_token|id_token|code|code_verifier|client_secret|device_code|assertion|client_info|password|psk)(["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi,
];

/** Returns `text` with every token-like substring replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  let out = text;
  out = out.replace(PATTERNS[0], REDACTED);
  out = out.replace(PATTERNS[1], (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(PATTERNS[2], (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
  return out;
}
