// Scrubs secrets out of text before it can reach a log line or an error message.
// Error text from servers and from msal is not ours: it may echo a token, an auth code or a refresh token,
// so everything we pass on goes through here.

const REDACTED = '[redacted]';

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const AUTH_HEADER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Secrets by name, as form parameters or JSON fields (`refresh_token=…`, `"access_token":"…"`). */
const NAMED_SECRET = /\b(access_token|refresh_token|id_token|client_secret|assertion|client_info|password|psk)(["']?\s*[=:]\s*["']?)[^&"'\s,}]+/gi;
/** The same names as quoted JSON strings, to the closing quote: a PSK like "correct horse battery" has spaces. */
const NAMED_SECRET_QUOTED = /"(access_token|refresh_token|id_token|client_secret|assertion|client_info|password|psk)"(\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
/** IoT Hub / DPS shared access signatures and the keys in their connection strings. */
const SAS_TOKEN = /\bSharedAccessSignature\s+[^\s"',]+/g;
const SAS_KEY = /\b(SharedAccessKey|primaryKey|secondaryKey)(["']?\s*[=:]\s*["']?)[^;&"'\s,}]+/gi;
/** OAuth codes only in their form-parameter spelling, so "error code: 7" stays readable. */
const OAUTH_CODE = /\b(code|device_code|code_verifier)=[^&"'\s,}]+/gi;

/** Returns `text` with every token-like substring replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(SAS_TOKEN, `SharedAccessSignature ${REDACTED}`)
    .replace(SAS_KEY, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(NAMED_SECRET_QUOTED, (_m, name: string, sep: string) => `"${name}"${sep}"${REDACTED}"`)
    .replace(NAMED_SECRET, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`)
    .replace(OAUTH_CODE, (_m, name: string) => `${name}=${REDACTED}`);
}
