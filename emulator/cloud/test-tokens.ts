// Tokens for tests through the emulator's real endpoints (devicecode → approve → token), without msal:
// a plain HTTPS client that trusts only the emulator's CA. The device-code grant is used because it needs no
// browser; the approval goes through the same test hook a person's sign-in page uses.
import { request } from 'node:https';
import type { CloudEmulator } from './index';

export interface TestTokenRequest {
  loginHint: string;
  /** e.g. 'https://sphere.azure.net/api/user_impersonation offline_access' */
  scope: string;
  /** Authority tenant segment: 'organizations' (default), 'common', 'consumers' or a directory ID. */
  directory?: string;
  clientId?: string;
}

function postForm(emulator: CloudEmulator, path: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      { method: 'POST', ca: emulator.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
          } catch (err) {
            reject(err as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The token endpoint's JSON (access_token, refresh_token, id_token, …); throws with the AAD error otherwise. */
export async function requestTokenByDeviceCode(emulator: CloudEmulator, opts: TestTokenRequest): Promise<Record<string, unknown>> {
  const directory = opts.directory ?? 'organizations';
  const clientId = opts.clientId ?? '0B1C8F7E-28D2-4378-97E2-7D7D63F7C87F';
  const started = await postForm(emulator, `/${directory}/oauth2/v2.0/devicecode`, { client_id: clientId, scope: opts.scope });
  if (started.status !== 200) throw new Error(`devicecode failed: ${String(started.body.error_description ?? started.body.error)}`);
  emulator.testHooks.approveDeviceCode(String(started.body.user_code), opts.loginHint);
  const token = await postForm(emulator, `/${directory}/oauth2/v2.0/token`, { grant_type: 'device_code', client_id: clientId, device_code: String(started.body.device_code) });
  if (token.status !== 200) throw new Error(`token failed: ${String(token.body.error)}: ${String(token.body.error_description)}`);
  return token.body;
}
